#!/usr/bin/env bash
# test_hardening: the optiscape binary against bad input and failing surroundings, as
# a user (or a script) meets it. Every case of the matrix must end with exit status
# 2 (bad input) or 1 (a runtime failure), exactly one line on stderr, nothing on
# stdout, no signal, no temporary file left, and every file that was there unchanged.
# Then: stdout on /dev/full, a full disk (a 64 KiB tmpfs in a private mount
# namespace, where the machine allows one), ffmpeg failing, Ctrl+C in the middle of
# long jobs, and the progress line (only on a terminal).
# Usage: test_hardening.sh PATH-TO-OPTISCAPE SHADER-SOURCE-DIR
set -u
BIN=$(realpath "$1")
SHADERS=$(realpath "$2")
export SDL_VIDEODRIVER=offscreen
W=$(mktemp -d /tmp/optiscape-hard-XXXXXX)
S=$(mktemp -d /tmp/optiscape-hard-out-XXXXXX)   # what the checks write, apart
trap 'rm -rf "$W" "$S"' EXIT
cd "$W" || exit 1

fails=0
checks=0
fail() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }

# What is here: every name (links too) with its content's checksum.
snapshot() {
  find . \( -type f -o -type l -o -type p -o -type d \) -print 2>/dev/null | LC_ALL=C sort | while read -r f; do
    if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; elif [ -p "$f" ]; then echo "$f fifo"; elif [ -d "$f" ]; then echo "$f dir"; else echo "$f $(md5sum < "$f")"; fi
  done
}

# The surroundings the cases meet: files that must survive, a dangling link, a FIFO,
# a directory, scene files with faults, a frame sequence with a hole.
printf 'keep me\n' > keep.png
printf 'keep me\n' > keep.svg
printf 'keep me\n' > keep.mp4
ln -s /nonexistent/target dangling.png
mkfifo lesson.fifo
mkdir lessons.d
mkdir frames
printf 'not a frame\n' > frames/frame-00002.png
printf '[scene]\ntitle = no landscape\n[runner]\noptimizer = sgd\n' > nolandscape.scene
printf '[scene]\nlandscape = booth\nstart = 0x10, 1\n' > hexstart.scene
printf '[scene]\nlandscape = booth\nstart = 1e308, 1e308\n' > farstart.scene
printf '[scene]\nlandscape = booth\n' > good.scene
LONG=$(head -c 131000 /dev/zero | tr '\0' 'd')
mkdir -p bin
printf '#!/bin/sh\nexit 3\n' > bin/ffmpeg
chmod +x bin/ffmpeg

# bad STATUSES ARGS...: STATUSES is "2", "1" or "12"
bad() {
  local want=$1; shift
  checks=$((checks + 1))
  snapshot > "$S/snap.before"
  timeout -s KILL "${LIMIT:-120}" "$BIN" "$@" > "$S/out.txt" 2> "$S/err.txt" < /dev/null
  local rc=$?
  snapshot > "$S/snap.after"
  local what="optiscape $(printf '%.100s' "$*")"
  case "$want" in *"$rc"*) ;; *) fail "$what: exit status $rc, expected $want: $(head -c 300 "$S/err.txt")";; esac
  [ "$rc" -lt 128 ] || fail "$what: killed by signal $((rc - 128))"
  [ -s "$S/out.txt" ] && fail "$what: stdout not empty: $(head -c 200 "$S/out.txt")"
  local lines
  lines=$(wc -l < "$S/err.txt")
  [ "$lines" -eq 1 ] || fail "$what: $lines lines on stderr: $(head -c 600 "$S/err.txt")"
  [ "$(wc -c < "$S/err.txt")" -le 400 ] || fail "$what: a message of $(wc -c < "$S/err.txt") bytes"
  grep -q '^optiscape' "$S/err.txt" || fail "$what: the message does not start with optiscape: $(head -c 200 "$S/err.txt")"
  cmp -s "$S/snap.before" "$S/snap.after" || fail "$what: files changed: $(diff "$S/snap.before" "$S/snap.after" | head -5)"
  rm -f "$S/out.txt" "$S/err.txt" "$S/snap.before" "$S/snap.after"
}

# bad_says FRAGMENT STATUSES ARGS...: as bad, and the message holds FRAGMENT
bad_says() {
  local frag=$1; shift
  local want=$1; shift
  bad "$want" "$@"
  timeout -s KILL 120 "$BIN" "$@" 2>&1 >/dev/null < /dev/null | grep -qF -- "$frag" || fail "optiscape $(printf '%.100s' "$*"): no '$frag' in the message"
}

# ---- the matrix -------------------------------------------------------------------
T="trace --landscape booth --optimizer adam --steps 3"
# the unknown-command message names every command of the usage text
bad_says "unknown command 'frobnicate'" 2 frobnicate
checks=$((checks + 1))
msg=$("$BIN" frobnicate 2>&1)
for c in $("$BIN" --help | sed -n 's/^  optiscape \([a-z][a-z]*\) .*/\1/p') render basins; do
  case "$msg" in *" $c,"* | *" $c;"*) ;; *) fail "the unknown-command message does not name $c: $msg";; esac
done
bad 2 --frobnicate
bad 2 trace
bad_says "given" 2 $T --steps 4
bad 2 $T --steps 0x10
bad 2 $T --steps ' 5'
bad 2 $T --steps 5e0
bad_says "--start" 2 $T --start 0x10,1
bad 2 $T --start ' 1,2'
bad 2 $T --start 1,2,
bad 2 $T --start inf,0
bad 2 $T --start nan,0
bad_says "1e+12" 2 $T --start 1e308,1e308
bad_says "1e+12" 2 $T --start 1e12,-1.0000001e12
bad 2 $T --start 1,2 --start 3,4
bad 2 $T --view 0,1,0,1e300
bad 2 $T --view 0x0,1,0,1
bad 2 $T --noise 0x1
bad 2 $T --noise ' 1'
bad 2 $T --noise 1 --noise 2
bad 2 $T --seed -1
bad 2 $T --seed ' 1'
bad 2 $T --seed 18446744073709551616
bad 2 $T --seed 1 --seed 2
bad 2 $T --schedule constant --schedule constant
bad 2 trace --landscape booth --optimizer sgd:lr=0x10 --steps 3
bad 2 trace --landscape booth --optimizer sgd:lr=1e999 --steps 3
bad 2 trace --landscape booth --landscape beale --optimizer adam --steps 3
bad 2 trace --expr x --expr y --optimizer adam --steps 3
bad_says "limit" 2 trace --landscape booth --optimizer adam --optimizer sgd --steps 10000000
bad 2 $T --test-shift 0x1
bad 2 $T --test-shift 1 --test-shift 2
bad 2 $T --steps $'1\n2'
bad 2 $T --bogus$'\n'option
bad 2 trace --landscape "$LONG" --optimizer adam --steps 3
bad 2 trace --expr "$LONG" --optimizer adam --steps 3
bad_says "a FIFO" 2 trace --scene lesson.fifo --steps 3
bad_says "a directory" 2 trace --scene lessons.d --steps 3
bad_says "a device" 2 trace --scene /dev/null --steps 3
bad_says "nolandscape.scene:1: [scene] has no landscape" 2 trace --scene nolandscape.scene --steps 3
bad_says "hexstart.scene:3: start" 2 trace --scene hexstart.scene --steps 3
bad_says "farstart.scene:3: start" 2 trace --scene farstart.scene --steps 3
bad 2 trace --scene "/nonexistent/$LONG" --steps 3
bad 2 trace --scene good.scene --scene good.scene --steps 3
bad 2 critical --landscape himmelblau --region 0x1,2,3,4
bad 2 critical --landscape himmelblau --grid ' 9'
bad 2 critical --landscape himmelblau --grid 9 --grid 10
bad 2 critical --landscape himmelblau --region 0,1,0,1 --region 0,2,0,2
bad 2 critical --landscape himmelblau --region -1e300,1e300,-1e300,1e300
bad 2 critical --scene lesson.fifo
bad 2 critical --scene nolandscape.scene
bad 2 render --out x.jpg
bad_says "keep.png exists" 2 render --out keep.png --size 64x64
bad_says "dangling.png exists" 2 render --out dangling.png --size 64x64
bad 2 render --out keep.svg --size 64x64
bad 2 render --out keep.mp4 --size 64x64
bad_says "frame-00002.png exists" 2 render --frames-dir frames --steps 20 --size 64x64
# caught before drawing, not at frame 2000 (which would take far longer than the limit)
mkdir frames2 && printf 'not a frame\n' > frames2/frame-02000.png
LIMIT=10 bad 2 render --frames-dir frames2 --steps 7000 --size 320x200
bad 2 render --frames-dir keep.png --steps 2 --size 64x64
bad 2 render --frames-dir nowhere/frames --steps 2 --size 64x64
bad_says "limit" 2 render --fps 240 --speed 0.01 --frames-dir many
bad_says "limit" 2 render --steps 100000 --speed 100 --fps 30 --out many.mp4
bad_says "pixels" 2 render --steps 5000 --fps 30 --speed 100 --size 4000x4000 --frames-dir many
bad 2 render --frames-dir "$LONG" --steps 2
bad 2 render --out "$LONG.png"
bad 2 render --size 99999x1 --out x.png
bad 2 render --size 0x10 --out x.png
bad_says "yaw" 2 render --out x.png --camera 1e308,45
bad 2 render --out x.png --camera 0x1,45
bad 2 render --out x.png --camera 0,45,
bad 2 render --out x.png --camera 0,91
bad 2 render --out x.png --fps 0x10
bad 2 render --out x.png --scale ' 2'
bad 2 render --out x.png --steps 1 --steps 2
bad 2 render --out a.png --out b.png
bad 2 render --out x.png --scene lesson.fifo
bad 2 render --out x.png --scene nolandscape.scene
bad 2 render --out x.png --legend maybe
bad 2 basins --grid 2000 --steps 100000
bad_says "limit" 2 basins --landscape booth --optimizer sgd --grid 2000 --steps 2000
bad 2 basins --grid 1
bad 2 basins --grid 10 --grid 20
bad 2 basins --out keep.png --grid 4 --steps 1
bad 2 basins --out dangling.png --grid 4 --steps 1
bad 2 basins --out x.jpg
bad 2 basins --steps 0x10
bad 2 basins --threads 0
bad 2 basins --scene lesson.fifo
bad_says "limit" 2 init --layers 1000 --width 4096
bad 2 init --batch 4096 --width 4096 --layers 20
bad 2 init --png keep.png --layers 2 --width 4
bad 2 init --png dangling.png --layers 2 --width 4
bad 2 init --seed 0x10
bad 2 init --layers ' 3'
bad 2 init --width 10 --width 20
bad 2 list
bad 2 list colours
bad 2 list landscapes optimizers
bad 2 bench
bad 2 bench teapot
bad 2 bench swarm --landscape booth --particles 100000000
bad_says "limit" 2 bench swarm --landscape booth --particles 10000000 --steps 10000
bad 2 bench swarm --landscape booth --particles 10 --particles 20
bad 2 bench swarm --landscape booth --particles 0x10
bad_says "limit" 2 bench flatness --seeds 100000 --steps 10000000
bad 2 bench flatness --seeds 10 --seeds 20
bad_says "limit" 2 bench field --expr x --size 16384 --repeat 1000
bad_says "limit" 2 bench frames --frames 100000 --size 8192x8192
bad 2 bench swarm --scene lesson.fifo
bad 2 --camera 1e308,45
bad 2 --camera 0x1,45
bad 2 --speed 0x10
bad 2 --speed 10 --speed 20
bad 2 --size 0x0
bad 2 --start 1e308,1e308
bad 2 --screenshot keep.png --frames 1
bad 2 --screenshot dangling.png --frames 1
bad 2 --scene lesson.fifo
bad 2 --scene nolandscape.scene
bad 2 --frames 2 --frames 3
bad_says "100000" 2 --frames 1000000
# a shader folder of FIFOs: refused at once (reading one would block before the first frame)
# a FIFO in place of every file the shader folder holds, whatever files it gains
mkdir shd && for f in "$SHADERS"/*; do mkfifo "shd/$(basename "$f")"; done
LIMIT=30 bad_says "not a regular file" 1 --shader-dir shd --frames 2
# the network lab's input files: parameters, data and planes are regular files only
LIMIT=30 bad_says "not a regular file" 2 net train --net mlp:2,4,1,loss=bce --data circle --init lesson.fifo --optimizer sgd --steps 2
LIMIT=30 bad_says "not a regular file" 2 net train --net mlp:2,4,1,loss=bce --data circle --test lesson.fifo --optimizer sgd --steps 2
LIMIT=30 bad_says "not a regular file" 2 trace --landscape plane:file=lesson.fifo --steps 2
LIMIT=30 bad_says "not a regular file" 2 trace --landscape plane:file=shd --steps 2

# ---- stdout that cannot be written -------------------------------------------------
full_stdout() {
  checks=$((checks + 1))
  "$BIN" "$@" > /dev/full 2> err.txt < /dev/null
  local rc=$?
  [ "$rc" -eq 1 ] || fail "optiscape $* > /dev/full: exit status $rc, expected 1"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "optiscape $* > /dev/full: $(wc -l < err.txt) lines: $(head -c 300 err.txt)"
  rm -f err.txt
}
for c in --help --window-help --version "trace --help" "critical --help" "render --help" "basins --help" \
         "init --help" "list --help" "bench --help" "list landscapes" "list optimizers" "list schedules" \
         "bench swarm --landscape booth --particles 100 --steps 1" "init --layers 2 --width 4" \
         "trace --landscape booth --optimizer adam --steps 2" "critical --landscape himmelblau" \
         "basins --landscape booth --optimizer sgd --grid 4 --steps 2"; do
  # shellcheck disable=SC2086
  full_stdout $c
done

# ---- ffmpeg failing ----------------------------------------------------------------
ff_case() {
  checks=$((checks + 1))
  PATH="$W/bin:$PATH" "$BIN" render --out "$1" --steps 20 --size 64x48 > out.txt 2> err.txt < /dev/null
  local rc=$?
  [ "$rc" -eq 1 ] || fail "ffmpeg ($2): exit status $rc, expected 1: $(head -c 300 err.txt)"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "ffmpeg ($2): $(wc -l < err.txt) lines: $(head -c 300 err.txt)"
  [ -s out.txt ] && fail "ffmpeg ($2): stdout not empty"
  [ -e "$1" ] && fail "ffmpeg ($2): $1 was left"
  ls -a | grep -q '^\.optiscape' && fail "ffmpeg ($2): a temporary file was left: $(ls -a | grep '^\.optiscape')"
  rm -f out.txt err.txt
}
ff_case early.mp4 "exits at once with status 3"
printf '#!/bin/sh\nhead -c 100 > /dev/null\nexit 0\n' > bin/ffmpeg
ff_case early.gif "reads a little, exits 0 and writes nothing"
printf '#!/bin/sh\ncat > /dev/null\nexit 1\n' > bin/ffmpeg
ff_case late.mp4 "reads everything, then fails"

# ---- a full disk ------------------------------------------------------------------
if unshare -m true 2>/dev/null; then
  mkdir -p full
  checks=$((checks + 1))
  # shellcheck disable=SC2016
  BIN="$BIN" unshare -m bash -c '
    mount -t tmpfs -o size=64k tmpfs full || { echo "SKIP-MOUNT"; exit 0; }
    one() {
      "$BIN" "$@" > out.txt 2> err.txt < /dev/null
      rc=$?
      lines=$(wc -l < err.txt)
      left=$(ls -A full)
      if [ "$rc" -ne 1 ] || [ "$lines" -ne 1 ] || [ -s out.txt ] || [ -n "$left" ]; then
        echo "FAIL: full disk: optiscape $*: status $rc, $lines lines: $(head -c 400 err.txt); left: $left"
      fi
      rm -rf full/* full/.optiscape* out.txt err.txt
    }
    one render --out full/x.png --size 800x600 --steps 5
    one render --out full/x.svg --size 800x600 --steps 5
    one render --frames-dir full/fr --size 320x200 --steps 30
    one basins --landscape himmelblau --optimizer sgd:lr=0.01 --grid 40 --steps 50 --out full/b.png --size 900x700
    one init --layers 3 --width 8 --png full/i.png --size 1500x640
    # stdout into a file on the full disk
    "$BIN" trace --landscape booth --optimizer adam --steps 5000 > full/trace.csv 2> err.txt
    rc=$?
    [ "$rc" -eq 1 ] && [ "$(wc -l < err.txt)" -eq 1 ] ||
      echo "FAIL: full disk: trace > full/trace.csv: status $rc: $(head -c 300 err.txt)"
    rm -f err.txt
  ' > full.log 2>&1
  if grep -q SKIP-MOUNT full.log; then
    echo "full disk: tmpfs cannot be mounted here, skipped"
  fi
  grep FAIL full.log >&2 && fails=$((fails + $(grep -c FAIL full.log)))
  rm -f full.log
else
  echo "full disk: unshare -m is refused here, skipped"
fi

# ---- Ctrl+C in the middle ---------------------------------------------------------
# interrupted NAME CONDITION COMMAND...: Ctrl+C once CONDITION (a shell test) holds,
# i.e. once the job is writing
interrupted() {
  local name=$1; shift
  local cond=$1; shift
  checks=$((checks + 1))
  "$@" > "$S/out.txt" 2> "$S/err.txt" < /dev/null &
  local pid=$!
  local t=0
  until eval "$cond" || [ "$t" -ge 600 ]; do sleep 0.1; t=$((t + 1)); done
  [ "$t" -ge 600 ] && fail "Ctrl+C ($name): it never started writing ($cond)"
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  [ "$rc" -eq 130 ] || fail "Ctrl+C ($name): exit status $rc, expected 130: $(head -c 300 "$S/err.txt")"
  [ "$(wc -l < "$S/err.txt")" -eq 1 ] || fail "Ctrl+C ($name): $(wc -l < "$S/err.txt") lines: $(head -c 300 "$S/err.txt")"
  grep -q interrupted "$S/err.txt" || fail "Ctrl+C ($name): $(head -c 200 "$S/err.txt")"
  rm -f "$S/out.txt" "$S/err.txt"
}
mkdir -p int && cd int || exit 1
interrupted "frames" '[ -e fr/frame-00002.png ]' "$BIN" render --frames-dir fr --steps 3000 --size 640x400
[ -z "$(ls -A fr 2>/dev/null)" ] || fail "Ctrl+C (frames): left $(ls fr | head -3) ..."
rm -rf fr
interrupted "a large PNG" 'ls -A | grep -q "^\.optiscape"' "$BIN" render --out big.png --size 16384x16384 --steps 10
[ -z "$(ls -A)" ] || fail "Ctrl+C (a large PNG): left $(ls -A)"
# an ffmpeg that writes its file slowly: it is killed, its file removed
printf '#!/bin/sh\nfor a; do out=$a; done\nwhile :; do head -c 65536 >> "$out" || exit 0; sleep 0.05; done\n' > ../bin/ffmpeg
interrupted "an mp4" '[ -s .optiscape-*.mp4 ] 2>/dev/null' env PATH="$W/bin:$PATH" "$BIN" render --out slow.mp4 --steps 3000 --size 640x400
sleep 0.3
[ -z "$(ls -A)" ] || fail "Ctrl+C (an mp4): left $(ls -A)"
pgrep -f "$W/bin/ffmpeg" > /dev/null && fail "Ctrl+C (an mp4): ffmpeg still running"
# bench field's reference compiled by cc in a temporary folder: cc (a slow one that keeps
# a temporary file, as a compiler does, and removes it on SIGTERM) is stopped, the folder removed
mkdir -p "$W/cc"
printf '#!/bin/sh\ntrap '"'"'rm -f "$TMPDIR/cc-temp.s"; exit 1'"'"' TERM\nwhile :; do echo x >> "$TMPDIR/cc-temp.s"; sleep 0.05; done\n' \
  > "$W/cc/cc"
chmod +x "$W/cc/cc"
interrupted "bench field" '[ -e cc-temp.s ]' env TMPDIR="$W/int" PATH="$W/cc:$PATH" "$BIN" bench field \
  --expr 'x^2 + sin(y)' --size 64 --repeat 1
sleep 0.3
[ -z "$(ls -A)" ] || fail "Ctrl+C (bench field): left $(ls -A)"
cd .. || exit 1

# ---- progress: a line on a terminal, nothing otherwise ----------------------------
checks=$((checks + 1))
JOB="bench swarm --landscape rosenbrock --particles 2000000 --steps 60"
# shellcheck disable=SC2086
"$BIN" $JOB > out.txt 2> err.txt
[ -s err.txt ] && fail "progress without a terminal: stderr has $(head -c 200 err.txt)"
if command -v script > /dev/null; then
  script -qec "$BIN $JOB > /dev/null" /dev/null > tty.txt 2>&1
  grep -q "bench swarm: .*%.*particle-steps/s.*s left" tty.txt ||
    echo "progress on a terminal: no progress line (the job ended within a second?): $(tr '\r' '\n' < tty.txt | head -3)"
  grep -q "%" tty.txt || fail "progress on a terminal: no percentage in $(tr '\r' '\n' < tty.txt | tail -3)"
fi
rm -f out.txt err.txt tty.txt
# basins: a map of many starts reports its run-steps as it goes (and nothing off a terminal)
checks=$((checks + 1))
JOB="basins --landscape himmelblau --optimizer sgd:lr=0.01 --grid 300 --steps 1500"
# shellcheck disable=SC2086
"$BIN" $JOB > out.txt 2> err.txt
[ -s err.txt ] && fail "basins progress without a terminal: stderr has $(head -c 200 err.txt)"
if command -v script > /dev/null; then
  script -qec "$BIN $JOB > /dev/null" /dev/null > tty.txt 2>&1
  grep -q "basins: .*%.*run-steps/s" tty.txt || fail "basins on a terminal: no progress line in $(tr '\r' '\n' < tty.txt | tail -3)"
fi
rm -f out.txt err.txt tty.txt

# nothing anywhere a job could have left a temporary file
left=$(find "$W" -name '.optiscape-*' | head -3)
[ -z "$left" ] || fail "temporary files left: $left"

echo "hardening: $checks cases, $fails failed"
[ "$fails" -eq 0 ]
