#!/bin/sh
# Builds the browser edition's dependencies (zlib, libpng, freetype, SDL2, SDL2_ttf) to
# WebAssembly from Debian's source packages into a static sysroot, plus cglm's headers.
#
#   tools/web-sysroot.sh [DIR]        (DIR defaults to build-web-deps in the source tree)
#
# DIR/sysroot      include/, lib/*.a, lib/pkgconfig/*.pc
# DIR/sysroot.ini  a meson cross file fragment naming the sysroot (pass it before
#                  cross/wasm32-emscripten.ini)
# DIR/KEY          what the sysroot was built from: emcc's version, this script's checksum
#                  and each source package's version. A second run with the same key does
#                  nothing, so CI can cache DIR under the key's hash.
#
# The source entries are derived from this machine's own apt sources (each "deb" entry
# becomes "deb-src") into a private apt state under DIR/apt: the system's apt
# configuration is left as it is and no root is needed. When a source version listed by
# the index cannot be fetched, the next older listed version is tried.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/build-web-deps}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
SYS=$DIR/sysroot
APT=$DIR/apt
SRC=$DIR/src
# Debian's emscripten runs its JS tools with /usr/bin/node; a Node from elsewhere must
# still find Debian's acorn.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
JOBS=$(nproc 2>/dev/null || echo 2)

die() { echo "web-sysroot: $*" >&2; exit 1; }
for tool in emcc emcmake emconfigure emmake cmake apt-get apt-cache dpkg-source dpkg sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install emscripten cmake dpkg-dev)"
done

# ---- private apt state with source entries ---------------------------------------------
mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/cache/archives/partial"
: > "$APT/sources.list"
{
    # deb822 files: every stanza whose Types include deb, as deb-src
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /(^|\n)Types:[^\n]*[ \t]deb([ \t]|\n|$)/ {
                 n = split($0, L, "\n"); out = ""
                 for (i = 1; i <= n; i++) {
                     if (L[i] ~ /^#/) continue
                     if (L[i] ~ /^Types:/) L[i] = "Types: deb-src"
                     out = out L[i] "\n"
                 }
                 printf "%s\n", out
             }' "$f"
    done
} > "$APT/sources.list.d/src.sources"
# one-line files: "deb URI ..." as "deb-src URI ..."
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
done > "$APT/sources.list.d/src.list"
[ -s "$APT/sources.list.d/src.sources" ] || [ -s "$APT/sources.list.d/src.list" ] ||
    die "no 'deb' entries in /etc/apt/sources.list{,.d} to derive source entries from"

aptopt() {
    echo "-o Dir::Etc::SourceList=$APT/sources.list -o Dir::Etc::SourceParts=$APT/sources.list.d"
    echo "-o Dir::State::Lists=$APT/lists -o Dir::Cache=$APT/cache -o Debug::NoLocking=1"
    [ "$(id -u)" = 0 ] && echo "-o APT::Sandbox::User=root"
    return 0
}
# the index is fetched once; delete DIR/apt/lists to refresh it
if ! ls "$APT"/lists/*Sources* >/dev/null 2>&1; then
    echo "web-sysroot: fetching the source index"
    # shellcheck disable=SC2046
    apt-get -q $(aptopt) update >"$APT/update.log" 2>&1 || { tail -5 "$APT/update.log" >&2; die "apt-get update failed (see $APT/update.log)"; }
fi

PKGS="zlib libpng1.6 freetype libsdl2 libsdl2-ttf"
# versions of a source package listed by the index, newest first (dpkg's ordering)
versions() {
    # shellcheck disable=SC2046
    apt-cache $(aptopt) showsrc "$1" 2>/dev/null |
        awk -v p="$1" '/^Package: / { ok = ($2 == p) } ok && /^Version: / { print $2 }' |
        sort -u | {
            sorted=""
            while read -r v; do
                out=""; placed=0
                for s in $sorted; do
                    if [ $placed = 0 ] && dpkg --compare-versions "$v" gt "$s"; then
                        out="$out $v"; placed=1
                    fi
                    out="$out $s"
                done
                [ $placed = 1 ] || out="$out $v"
                sorted=$out
            done
            for s in $sorted; do echo "$s"; done
        }
}

KEY_NEW=$DIR/KEY.new
{
    echo "emcc $(emcc --version 2>/dev/null | head -n 1)"
    echo "script $(sha256sum "$0" | cut -d' ' -f1)"
    for p in $PKGS; do
        v=$(versions "$p" | tr '\n' ' ')
        [ -n "$v" ] || die "source package $p not in the index (deb-src entries: $APT/sources.list.d)"
        echo "source $p $v"
    done
    echo "cglm $(dpkg-query -W -f='${Version}' libcglm-dev 2>/dev/null || echo missing)"
} > "$KEY_NEW"
grep -q '^cglm missing' "$KEY_NEW" && die "cglm's headers are missing (apt-get install libcglm-dev)"

if [ -f "$DIR/KEY" ] && cmp -s "$DIR/KEY" "$KEY_NEW" && [ -f "$SYS/lib/libSDL2_ttf.a" ]; then
    rm -f "$KEY_NEW"
    echo "web-sysroot: up to date ($SYS)"
    exit 0
fi

T0=$(date +%s)
rm -rf "$SYS" "$SRC"
mkdir -p "$SYS/include" "$SYS/lib/pkgconfig" "$SRC"

# fetch and unpack the newest version that can be fetched; prints its source folder
fetch() {
    p=$1
    for v in $(versions "$p"); do
        # shellcheck disable=SC2046
        if (cd "$SRC" && apt-get -q $(aptopt) source "$p=$v" >"$SRC/$p.fetch.log" 2>&1); then
            d=$(find "$SRC" -mindepth 1 -maxdepth 1 -type d -name "$p-[0-9]*" | head -n 1)
            [ -n "$d" ] || die "apt-get source $p=$v unpacked nothing"
            mv "$d" "$SRC/$p"
            echo "$v" > "$SRC/$p.version"
            return 0
        fi
        echo "web-sysroot: $p $v could not be fetched, trying an older version" >&2
    done
    die "no version of $p could be fetched (see $SRC/$p.fetch.log)"
}

CM="-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$SYS -DCMAKE_FIND_ROOT_PATH=$SYS
    -DCMAKE_PREFIX_PATH=$SYS -DBUILD_SHARED_LIBS=OFF -DCMAKE_C_FLAGS=-O2"
cmbuild() {   # NAME SRC_SUBDIR [cmake options...]
    name=$1; sub=$2; shift 2
    echo "web-sysroot: building $name"
    # shellcheck disable=SC2086
    emcmake cmake -S "$SRC/$sub" -B "$SRC/$sub/_wasm" $CM "$@" >"$SRC/$name.log" 2>&1 &&
        cmake --build "$SRC/$sub/_wasm" -j "$JOBS" >>"$SRC/$name.log" 2>&1 &&
        cmake --install "$SRC/$sub/_wasm" >>"$SRC/$name.log" 2>&1 ||
        { tail -20 "$SRC/$name.log" >&2; die "$name failed (see $SRC/$name.log)"; }
}

# zlib: its CMake wants a file the Debian tarball lacks; its configure works
fetch zlib
echo "web-sysroot: building zlib"
(cd "$SRC/zlib" && CC=emcc AR=emar RANLIB=emranlib CFLAGS=-O2 emconfigure ./configure --static --prefix="$SYS" &&
    emmake make -j "$JOBS" libz.a && emmake make install) >"$SRC/zlib.log" 2>&1 ||
    { tail -20 "$SRC/zlib.log" >&2; die "zlib failed (see $SRC/zlib.log)"; }
ZLIB="-DZLIB_INCLUDE_DIR=$SYS/include -DZLIB_LIBRARY=$SYS/lib/libz.a"

fetch libpng1.6
# shellcheck disable=SC2086
cmbuild libpng libpng1.6 $ZLIB -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF \
    -DPNG_HARDWARE_OPTIMIZATIONS=OFF -DSKIP_INSTALL_PROGRAMS=ON -DSKIP_INSTALL_EXECUTABLES=ON

# freetype: with the sysroot's zlib (its bundled copy would clash with it)
fetch freetype
# shellcheck disable=SC2086
cmbuild freetype freetype $ZLIB -DFT_REQUIRE_ZLIB=ON -DFT_DISABLE_BZIP2=ON -DFT_DISABLE_PNG=ON \
    -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_BROTLI=ON

# SDL2: single-threaded (the default web edition needs no cross-origin isolation)
fetch libsdl2
cmbuild SDL2 libsdl2 -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_THREADS=OFF \
    -DSDL_PTHREADS=OFF

fetch libsdl2-ttf
# shellcheck disable=SC2086
cmbuild SDL2_ttf libsdl2-ttf $ZLIB -DSDL2_DIR="$SYS/lib/cmake/SDL2" -DSDL2TTF_SAMPLES=OFF \
    -DSDL2TTF_VENDORED=OFF -DSDL2TTF_HARFBUZZ=OFF -DSDL2TTF_FREETYPE=ON \
    -DFREETYPE_INCLUDE_DIRS="$SYS/include/freetype2" -DFREETYPE_LIBRARY="$SYS/lib/libfreetype.a"

# static SDL2_ttf installs no .pc file
cat > "$SYS/lib/pkgconfig/SDL2_ttf.pc" <<EOF
prefix=$SYS
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: SDL2_ttf
Description: TrueType font library for SDL2 (static, WebAssembly)
Version: $(sed 's/+.*//' "$SRC/libsdl2-ttf.version")
Requires: sdl2 freetype2
Libs: -L\${libdir} -lSDL2_ttf
Cflags: -I\${includedir}/SDL2
EOF

# cglm: header-only use, so its headers and a .pc without a library
cp -r /usr/include/cglm "$SYS/include/"
cat > "$SYS/lib/pkgconfig/cglm.pc" <<EOF
prefix=$SYS
includedir=\${prefix}/include

Name: cglm
Description: OpenGL mathematics for C (headers)
Version: $(dpkg-query -W -f='${Version}' libcglm-dev | sed 's/-.*//')
Cflags: -I\${includedir}
EOF

for f in libz.a libpng16.a libfreetype.a libSDL2.a libSDL2_ttf.a; do
    [ -f "$SYS/lib/$f" ] || die "$SYS/lib/$f was not installed"
done

cat > "$DIR/sysroot.ini" <<EOF
# written by tools/web-sysroot.sh: where the WebAssembly sysroot is
[constants]
web_sysroot = '$SYS'
EOF
{
    cat "$KEY_NEW"
    for p in $PKGS; do echo "built $p $(cat "$SRC/$p.version")"; done
} > "$DIR/KEY.built"
mv "$KEY_NEW" "$DIR/KEY"
# the sources are not needed any more; their logs are
find "$SRC" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
T1=$(date +%s)
echo "web-sysroot: built $SYS in $((T1 - T0)) s"
