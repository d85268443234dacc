// test_page: the browser edition in headless Chromium (WebGL2 on SwiftShader), served
// from 127.0.0.1. Run by tools/web-test.sh:
//   node web/test_page.js SITE_DIR NATIVE_OPTISCAPE SCENES_DIR [OUT_DIR]
// The page is the window (panel, status line, keys) compiled for the web. Checks,
// each against something the page's code does not compute itself:
//  - every preset opens by its link (#lesson=NAME) with no error on the console, and
//    each runner is where the native `optiscape trace --scene FILE --steps S` puts it
//    at the step S the page reached;
//  - the page draws what the native window draws for the same scene, step and size
//    (its canvas against the native --screenshot, pixel by pixel);
//  - a drag from the start moves it to the world point under the pointer (the map's
//    rectangle and the view's linear map, worked out here), a drag elsewhere pans by
//    the pointer's motion, a click sets the start, a wheel step zooms by 1.2 about
//    the pointer;
//  - a preset with [net] sections opens with its network lab shown, which trains while
//    the page keeps drawing (the slice and the spectrum are made in slices of its
//    frames); paused, each lab's step and lr are what the native `optiscape net
//    train --scene FILE --lab K --steps S` prints at the lab's step S; opened paused
//    (&paused), two presses of N make two updates of every lab, whose rows are then net
//    train's within 1e-9 (the browser's libm is not glibc's: see NET_TOL);
//  - class mode and the 3D view open by link (a network preset's too);
//  - Shift+J makes the network lab's slice the landscape, with no error on the page;
//    "share" with a network lab opens its labs at the same steps with the same rows;
//  - "share" puts the scene in the link, and the link opens the same step, start,
//    view and runners; "PNG" downloads a valid PNG that is the page's picture;
//    Ctrl+S and "save" download the scene file, whose trace has the page's runners;
//  - a finger drags the start from where it is, a finger elsewhere pans, a tap sets
//    the start, two fingers pinch-zoom about their midpoint;
//  - a scene file chosen with "open" opens, its runners where trace puts them;
//  - a bad link shows one line naming what is wrong.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { serve, launch } = require('./page_host.js');
const { PNG } = require('pngjs');

const [siteArg, native, scenes, outDir] = process.argv.slice(2);
if (!siteArg || !native || !scenes) {
  console.error('usage: node web/test_page.js SITE_DIR NATIVE_OPTISCAPE SCENES_DIR [OUT_DIR]');
  process.exit(2);
}
const site = path.resolve(siteArg);
const W = 1280, H = 800;
let checks = 0, failed = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failed++; console.error('test_page: check failed: ' + what); }
}

function trace(sceneFile, steps) {
  const csv = execFileSync(native, ['trace', '--scene', sceneFile, '--steps', String(steps)], { encoding: 'utf8' });
  const at = {};   // runner -> [x, y] at the last step
  const lines = csv.trim().split('\n');
  const head = lines[0].split(',');
  const ir = head.indexOf('runner'), is = head.indexOf('step'), ix = head.indexOf('x'), iy = head.indexOf('y');
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    const r = ir >= 0 ? Number(c[ir]) : 0;
    if (Number(c[is]) === steps) at[r] = [Number(c[ix]), Number(c[iy])];
  }
  return at;
}

// the last row of the native `optiscape net train --scene FILE --lab K --steps S`
function netTrain(sceneFile, lab, steps) {
  const csv = execFileSync(native, ['net', 'train', '--scene', sceneFile, '--lab', String(lab), '--steps', String(steps)],
                           { encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = csv.trim().split('\n');
  return lines[lines.length - 1];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// a page's row against net train's: 'text' when they are the same text, else the
// largest relative difference of a column (Infinity when the steps or the empty
// columns differ)
function rowDiff(page, want) {
  if (page === want) return 'text';
  const a = page.split(','), b = want.split(',');
  if (a.length !== b.length || a[0] !== b[0]) return Infinity;
  let m = 0;
  a.forEach((x, i) => {
    if ((x === '') !== (b[i] === '')) m = Infinity;
    else if (x !== '') m = Math.max(m, Math.abs(Number(x) - Number(b[i])) / (1e-300 + Math.abs(Number(b[i]))));
  });
  return m;
}

// The browser's exp, log, log1p, sin and cos (emscripten's musl) are not glibc's: they
// differ in the last bit for some arguments, so a lab's numbers are the native ones to
// a few ulp after an update, not always to the bit, and training makes those ulp grow:
// slowly for most labs, to O(1) within ten updates where it is chaotic (38's lr 10
// and 30 with BN jump from step to step). So the rows are compared after two updates
// (netStep: within NET_TOL, relative), and after a long run only the step and the lr
// (the differences printed).
const NET_TOL = 1e-9;
let netText = 0, netRows = 0, netWorst = 0;
const netLong = [];

function checkLabs(name, file, labs) {
  labs.forEach((lab, k) => {
    check(lab.step > 0, `${name}: lab ${k + 1} trained (step ${lab.step})`);
    if (lab.step <= 0) return;
    const want = netTrain(file, k + 1, lab.step);
    const d = rowDiff(lab.row, want);
    netRows++;
    if (d === 'text') netText++;
    else netWorst = Math.max(netWorst, d);
    check(d === 'text' || d <= NET_TOL, `${name}: lab ${k + 1} at step ${lab.step}: page ${lab.row}, net train ${want}`);
  });
}

// A preset with [net] sections: the network lab is shown and trains; the page keeps
// drawing while the slice and the spectrum are made (the longest wait between two
// of its animation frames); then, paused, each lab's step and lr are the native net
// train's at the lab's step. Returns the page's fps while training.
async function netPreset(page, name, file, errors, s0) {
  const nlabs = (fs.readFileSync(file, 'utf8').match(/^\s*\[net\]/gm) || []).length;
  check(s0.net && s0.net.shown === 1 && s0.net.labs.length === nlabs,
        `${name}: the network lab shown with ${nlabs} labs (${JSON.stringify(s0.net)})`);
  if (!s0.net) return null;
  // the longest time between two of the page's animation frames while it trains
  await page.evaluate(() => {
    window.testGap = 0;
    let last = performance.now();
    const f = (t) => { window.testGap = Math.max(window.testGap, t - last); last = t; requestAnimationFrame(f); };
    requestAnimationFrame(f);
  });
  const t0 = Date.now();
  let s = s0, sliced = false, spec = false;
  const frames0 = s0.frames;
  while (Date.now() - t0 < 30000) {
    await sleep(100);
    s = await state(page);
    const t = Date.now();
    const l0 = s.net.labs[0];
    sliced = sliced || l0.slice[0] === 2;
    spec = spec || l0.spectrum >= 0;
    if (sliced && spec && t - t0 >= 4000 && l0.step >= 10) break;
  }
  const secs = (Date.now() - t0) / 1000;
  const fps = s.fps;
  const gap = Math.round(await page.evaluate(() => window.testGap));
  console.log(`test_page: ${name}: ${s.frames - frames0} frames in ${secs.toFixed(1)} s while training ` +
              `(fps ${fps}, the longest wait for a frame ${gap} ms), step ${s.net.labs[0].step}, ` +
              `slice level ${s.net.labs[0].slice[0]} at step ${s.net.labs[0].slice[1]}, spectrum at step ${s.net.labs[0].spectrum}`);
  check(sliced, `${name}: the slice's fine grid is made within 30 s (level ${s.net.labs[0].slice[0]})`);
  check(spec, `${name}: the spectrum is made within 30 s`);
  check(gap < 2000, `${name}: the page keeps drawing while the slice and the spectrum are made (a frame waited ${gap} ms)`);
  check(s.frames - frames0 >= 10, `${name}: ${s.frames - frames0} frames drawn in ${secs.toFixed(1)} s`);
  await page.evaluate(() => Module._web_set_playing(0));
  const p = await waitFrames(page, (await state(page)).frames + 3, 10000);
  check(p !== null && p.playing === 0, `${name}: paused`);
  if (!p) return fps;
  p.net.labs.forEach((lab, k) => {
    check(lab.step > 0, `${name}: lab ${k + 1} trained (step ${lab.step})`);
    if (lab.step <= 0) return;
    const want = netTrain(file, k + 1, lab.step), a = lab.row.split(','), b = want.split(',');
    check(a.length === b.length && a[0] === b[0] && a[a.length - 1] === b[b.length - 1],
          `${name}: lab ${k + 1} at step ${lab.step}: page ${lab.row}, net train ${want} (the step and the lr)`);
    const d = rowDiff(lab.row, want);
    netLong.push(`${name} ${k + 1}@${lab.step}: ${d === 'text' ? 'text' : d.toExponential(1)}`);
  });
  const again = await waitFrames(page, p.frames + 3, 10000);
  check(again && again.net.labs.every((lab, k) => lab.row === p.net.labs[k].row), `${name}: paused, the labs stay`);
  if (outDir) {
    await page.mouse.move(2, 2);
    await waitFrames(page, p.frames + 2, 10000);
    fs.writeFileSync(path.join(outDir, 'web-' + name + '.png'), await page.screenshot({ type: 'png' }));
  }
  return fps;
}

// A preset with [net] sections opened paused: N twice makes two updates of every lab
// (from step 0, or its pretrain), each lab's row then net train's (within NET_TOL)
async function netStep(browser, base, name, file) {
  const errors = [];
  const page = await open(browser, base, '#lesson=' + name + '&paused', errors);
  const s0 = await waitFrames(page, 3, 60000);
  check(s0 && s0.net && s0.playing === 0, `${name}&paused: opens paused with its network lab`);
  if (s0 && s0.net) {
    await page.focus('#canvas');
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('KeyN');
      await settle(page);
    }
    const s = await settle(page);
    check(s.net.labs.every((lab, k) => lab.step === s0.net.labs[k].step + 2),
          `${name}&paused: N twice: two updates of the labs (${s0.net.labs.map((l) => l.step)} -> ${s.net.labs.map((l) => l.step)})`);
    checkLabs(name + '&paused', file, s.net.labs);
  }
  check(errors.length === 0, `${name}&paused: console errors: ${errors.join(' | ')}`);
  await page.close();
}

async function open(browser, base, hash, consoleErrors) {
  const page = await browser.newPage();
  await page.setViewport({ width: W, height: H, deviceScaleFactor: 1 });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(base + 'index.html' + hash, { waitUntil: 'load' });
  return page;
}

async function state(page) {
  return JSON.parse(await page.evaluate(() => Module.UTF8ToString(Module._web_state())));
}

async function waitFrames(page, n, timeoutMs) {
  const t0 = Date.now();
  for (;;) {
    try {
      const ok = await page.evaluate(() => typeof Module !== 'undefined' && Module.calledRun === true &&
                                           !document.getElementById('status').textContent);
      if (ok) {
        const s = await state(page);
        if (s.frames >= n) return s;
      }
    } catch (e) {
      // the page is being reloaded (a new link): ask the new one
      if (!/context was destroyed|navigation/i.test(String(e))) throw e;
    }
    if (Date.now() - t0 > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// the canvas's rectangle on the page (CSS pixels)
async function canvasRect(page) {
  return page.evaluate(() => {
    const r = document.getElementById('canvas').getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];
  });
}

// page pixels <-> world points through the map's rectangle in the canvas and the view
function mapper(s, rect) {
  const v = s.view, m = s.map;
  const ox = rect[0] + m[0], oy = rect[1] + m[1];
  return {
    toPx: (x, y) => [ox + (x - v[0]) / (v[1] - v[0]) * m[2], oy + (v[3] - y) / (v[3] - v[2]) * m[3]],
    toWorld: (px, py) => [v[0] + (px - ox) / m[2] * (v[1] - v[0]), v[3] - (py - oy) / m[3] * (v[3] - v[2])],
    du: (v[1] - v[0]) / m[2],     // a pixel in world units
  };
}

// the state once the frames have handled what was just done: input reaches the page's
// queue at once but its frames take it in later, so count from now
async function settle(page) {
  return waitFrames(page, (await state(page)).frames + 3, 10000);
}

// waits until the field drawn is the last one asked for (a picture to compare)
async function waitField(page, timeoutMs) {
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    if (s.field) return s;
    if (Date.now() - t0 > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// the screenshot against the native PNG: the fraction of pixels more than 48 apart in
// some channel, and the mean absolute difference (over the first rows only, if given)
function compare(a, b, rows) {
  let far = 0, sum = 0;
  const n = a.width * (rows === undefined ? a.height : Math.min(rows, a.height));
  for (let i = 0; i < n * 4; i += 4) {
    let m = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[i + c] - b.data[i + c]);
      sum += d;
      if (d > m) m = d;
    }
    if (m > 48) far++;
  }
  return { far: far / n, mean: sum / (3 * n) };
}

(async () => {
  const server = await serve(site);
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const browser = await launch(W, H);
  try {
    // TEST_PAGE_ONLY=NAME[,NAME...]: those presets alone (while working on the page)
    const only = process.env.TEST_PAGE_ONLY && process.env.TEST_PAGE_ONLY.split(',');
    const presets = fs.readdirSync(scenes).filter((f) => f.endsWith('.scene') &&
                                                   (!only || only.includes(f.replace(/\.scene$/, '')))).sort();
    check(presets.length > 0, 'presets in ' + scenes);
    let worst = 0, nets = 0, netFps = null, netFpsOf = '';
    for (const f of presets) {
      const name = f.replace(/\.scene$/, '');
      const errors = [];
      const page = await open(browser, base, '#lesson=' + name, errors);
      const s0 = await waitFrames(page, 3, 60000);
      if (!s0) {
        const text = await page.evaluate(() => document.getElementById('status').textContent);
        check(false, `${name}: the page drew no 3 frames within 60 s (${text || errors.join(' | ')})`);
        await page.close();
        continue;
      }
      if (/^\s*\[net\]/m.test(fs.readFileSync(path.join(scenes, f), 'utf8'))) {
        // a network lab: no landscape's runners to trace
        const fps = await netPreset(page, name, path.join(scenes, f), errors, s0);
        if (netFps === null && fps !== null) { netFps = fps; netFpsOf = name; }
        nets++;
        await netStep(browser, base, name, path.join(scenes, f));
        check(errors.length === 0, `${name}: console errors: ${errors.join(' | ')}`);
        await page.close();
        continue;
      }
      await page.evaluate(() => Module._web_set_playing(0));
      const s = await waitFrames(page, s0.frames + 2, 10000);
      const want = trace(path.join(scenes, f), s.step);
      check(s.runners.length === Object.keys(want).length,
            `${name}: ${s.runners.length} runners, trace has ${Object.keys(want).length}`);
      s.runners.forEach((r, k) => {
        const w = want[k];
        if (!w || !r) { check(false, `${name}: runner ${k} at step ${s.step}: page ${JSON.stringify(r)}, trace ${w}`); return; }
        const d = Math.max(Math.abs(r.x - w[0]) / (1 + Math.abs(w[0])), Math.abs(r.y - w[1]) / (1 + Math.abs(w[1])));
        if (Number.isFinite(d) && d > worst) worst = d;
        check(d <= 1e-9 || (!Number.isFinite(w[0]) && !Number.isFinite(r.x)),
              `${name}: runner ${k} at step ${s.step}: page (${r.x}, ${r.y}), trace (${w[0]}, ${w[1]})`);
      });
      check(errors.length === 0, `${name}: console errors: ${errors.join(' | ')}`);
      if (name === '07-learning-rate') {
        // the picture against the native figure of the same scene at the same step,
        // an early one: the window fades old trails, a figure does not
        await page.evaluate(() => Module._web_seek(3));
        const s3 = await waitFrames(page, s.frames + 2, 10000);
        check(s3.step === 3, `${name}: seek to step 3 (at ${s3.step})`);
        const w3 = trace(path.join(scenes, f), 3);
        s3.runners.forEach((r, k) => check(r && w3[k] && r.x === w3[k][0] && r.y === w3[k][1],
          `${name}: back at step 3 runner ${k} is at (${r && r.x}, ${r && r.y}), trace (${w3[k]})`));
        s.step = s3.step;
        // the canvas alone against the native window of its size at that step, the
        // pointer off the canvas (no hover read-out)
        await page.mouse.move(2, 2);
        const sf = await waitField(page, 30000);
        check(sf !== null, `${name}: the field is made within 30 s`);
        await waitFrames(page, s3.frames + 4, 10000);
        const rect = await canvasRect(page);
        const shot = PNG.sync.read(await page.screenshot({ type: 'png',
          clip: { x: rect[0], y: rect[1], width: rect[2], height: rect[3] } }));
        const ref = path.join(outDir || '.', 'native-' + name + '.png');
        execFileSync(native, ['--scene', path.join(scenes, f), '--steps', String(s.step), '--paused',
                              '--size', rect[2] + 'x' + rect[3], '--frames', '3', '--screenshot', ref, '--force'],
                     { env: Object.assign({}, process.env, { SDL_VIDEODRIVER: 'offscreen' }) });
        const nat = PNG.sync.read(fs.readFileSync(ref));
        if (outDir) fs.writeFileSync(path.join(outDir, 'web-' + name + '.png'), PNG.sync.write(shot));
        check(shot.width === nat.width && shot.height === nat.height, `${name}: screenshot ${shot.width}x${shot.height}`);
        if (shot.width === nat.width && shot.height === nat.height) {
          const c = compare(shot, nat);
          console.log(`test_page: ${name} at step ${s.step}: ${(100 * c.far).toFixed(3)}% of pixels differ by more than 48, mean difference ${c.mean.toFixed(2)}`);
          check(c.far < 0.01 && c.mean < 4, `${name}: the page's picture is the native window's (${(100 * c.far).toFixed(2)}% far, mean ${c.mean.toFixed(2)})`);
        }
      }
      await page.close();
    }
    console.log(`test_page: ${presets.length} presets, runners within ${worst.toExponential(2)} (relative) of trace; ` +
                `${nets} network presets: ${netRows} labs' rows after two updates against net train, ${netText} the same text, ` +
                `the others within ${netWorst.toExponential(2)} (relative)`);
    if (netLong.length) console.log('test_page: after a long run, the rows against net train: ' + netLong.join(', '));
    if (netFps !== null) console.log(`test_page: fps while ${netFpsOf} trains: ${netFps}`);

    // a drag from the start moves it to the point under the pointer, a drag elsewhere
    // pans by the pointer's motion, a click sets the start; the wheel zooms about it
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=07-learning-rate', errors);
      const s0 = await waitFrames(page, 3, 60000);
      if (!s0) throw new Error('drag: the page drew no 3 frames within 60 s');
      await page.evaluate(() => Module._web_set_playing(0));
      const rect = await canvasRect(page);
      const sA = await waitFrames(page, s0.frames + 2, 10000);
      let mp = mapper(sA, rect);
      const [sx, sy] = mp.toPx(sA.start[0], sA.start[1]);
      await page.mouse.move(sx, sy);
      await page.mouse.down();
      await page.mouse.move(sx - 150, sy + 90, { steps: 8 });
      await page.mouse.up();
      const s1 = await settle(page);
      let want = mp.toWorld(sx - 150, sy + 90);
      check(Math.abs(s1.start[0] - want[0]) <= mp.du && Math.abs(s1.start[1] - want[1]) <= mp.du,
            `drag: start (${s1.start}) should be (${want}) within a pixel`);
      check(s1.view.every((x, i) => x === sA.view[i]), 'drag: moving the start leaves the view');

      // a pan: from a point away from the start, 120 px left and 70 px down
      const [qx, qy] = [rect[0] + s1.map[0] + 0.2 * s1.map[2], rect[1] + s1.map[1] + 0.3 * s1.map[3]];
      await page.mouse.move(qx, qy);
      await page.mouse.down();
      await page.mouse.move(qx - 120, qy + 70, { steps: 6 });
      await page.mouse.up();
      const sP = await settle(page);
      check(Math.abs(sP.view[0] - (s1.view[0] + 120 * mp.du)) <= 1e-9 * (s1.view[1] - s1.view[0]) &&
            Math.abs(sP.view[2] - (s1.view[2] + 70 * mp.du)) <= 1e-9 * (s1.view[1] - s1.view[0]),
            `pan: the view moves with the pointer (${s1.view} -> ${sP.view}, a pixel ${mp.du})`);
      check(sP.start[0] === s1.start[0] && sP.start[1] === s1.start[1], 'pan: the start stays');

      // a click sets the start to the point under it
      mp = mapper(sP, rect);
      const [cx, cy] = [rect[0] + sP.map[0] + 0.6 * sP.map[2], rect[1] + sP.map[1] + 0.25 * sP.map[3]];
      await page.mouse.click(cx, cy);
      const sC = await settle(page);
      want = mp.toWorld(cx, cy);
      check(Math.abs(sC.start[0] - want[0]) <= mp.du && Math.abs(sC.start[1] - want[1]) <= mp.du,
            `click: start (${sC.start}) should be (${want}) within a pixel`);

      const [zx, zy] = [rect[0] + sC.map[0] + 0.4 * sC.map[2], rect[1] + sC.map[1] + 0.45 * sC.map[3]];
      const under = mp.toWorld(zx, zy);
      await page.mouse.move(zx, zy);
      await page.mouse.wheel({ deltaY: -100 });
      const s2 = await settle(page);
      const v = sC.view, du = mp.du;
      const w0 = v[1] - v[0], w1 = s2.view[1] - s2.view[0];
      check(Math.abs(w0 / w1 - 1.2) < 1e-9, `wheel: the view narrows by 1.2 (${w0} -> ${w1})`);
      const after = mapper(s2, rect).toWorld(zx, zy);
      check(Math.abs(after[0] - under[0]) <= du && Math.abs(after[1] - under[1]) <= du,
            `wheel: the point under the pointer stays (${under} -> ${after})`);
      check(errors.length === 0, 'drag: console errors: ' + errors.join(' | '));

      // share: the changed scene (start dragged, view zoomed, some steps run, then
      // stopped) put in the link opens as it was: same step, start, view, runners
      await page.evaluate(() => Module._web_set_playing(1));
      await waitFrames(page, s2.frames + 10, 10000);
      await page.evaluate(() => Module._web_set_playing(0));
      await page.mouse.move(2, 2);
      const s3 = await settle(page);
      const href = await page.evaluate(() => optiscapeShare());
      check(typeof href === 'string' && href.includes('#scene='), `share: the link holds the scene (${href && href.slice(0, 80)})`);
      const errors2 = [];
      const again = await open(browser, base, href.slice(href.indexOf('#')), errors2);
      const t = await waitFrames(again, 3, 60000);
      if (!t) throw new Error('share: the shared link drew no 3 frames within 60 s');
      check(t.step === s3.step, `share: step ${t.step}, shared at ${s3.step}`);
      check(t.start[0] === s3.start[0] && t.start[1] === s3.start[1], `share: start (${t.start}), shared (${s3.start})`);
      const vw = s3.view[1] - s3.view[0];
      check(t.view.every((x, i) => Math.abs(x - s3.view[i]) <= 1e-12 * vw), `share: view (${t.view}), shared (${s3.view})`);
      check(t.runners.length === s3.runners.length &&
            t.runners.every((r, k) => r.x === s3.runners[k].x && r.y === s3.runners[k].y),
            `share: runners ${JSON.stringify(t.runners)}, shared ${JSON.stringify(s3.runners)}`);
      check(errors2.length === 0, 'share: console errors: ' + errors2.join(' | '));
      await again.close();

      // the PNG button: a download that is a valid PNG of the canvas, showing what
      // the (stopped) page shows
      const dl = fs.mkdtempSync(path.join(outDir || require('os').tmpdir(), 'download-'));
      const cdp = await browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dl });
      await page.click('#shot');
      const file = path.join(dl, 'optiscape-0001.png');
      for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
      check(fs.existsSync(file), 'PNG: optiscape-0001.png downloaded');
      if (fs.existsSync(file)) {
        const buf = fs.readFileSync(file);
        let png = null;
        try { png = PNG.sync.read(buf); } catch (e) { check(false, 'PNG: the download is a valid PNG: ' + e.message); }
        if (png) {
          check(png.width === s3.canvas[0] && png.height === s3.canvas[1],
                `PNG: ${png.width}x${png.height}, the canvas is ${s3.canvas}`);
          await page.evaluate(() => { document.getElementById('note').style.display = 'none'; });
          const shot = PNG.sync.read(await page.screenshot({ type: 'png',
            clip: { x: rect[0], y: rect[1], width: rect[2], height: rect[3] } }));
          if (outDir) fs.writeFileSync(path.join(outDir, 'web-page-at-download.png'), PNG.sync.write(shot));
          if (png.width === shot.width && png.height === shot.height) {
            // above the status line, whose note ("the picture is downloaded") came after
            const c = compare(png, shot, Math.floor(s3.map[1] + s3.map[3]));
            check(c.far < 0.001 && c.mean < 1, `PNG: the download is the page's picture (${(100 * c.far).toFixed(3)}% far, mean ${c.mean.toFixed(2)})`);
          }
        }
      }

      // Ctrl+S: the scene as a scene file download, not the browser's save dialog;
      // the native trace of that file puts the runners where the (stopped) page has them
      await page.focus('#canvas');
      await page.keyboard.down('Control');
      await page.keyboard.press('KeyS');
      await page.keyboard.up('Control');
      const saved = path.join(dl, 'optiscape-0001.scene');
      for (let i = 0; i < 200 && !fs.existsSync(saved); i++) await new Promise((r) => setTimeout(r, 50));
      check(fs.existsSync(saved), 'Ctrl+S: optiscape-0001.scene downloaded');
      if (fs.existsSync(saved)) {
        let want = {};
        try { want = trace(saved, s3.step); } catch (e) { check(false, 'Ctrl+S: trace reads the download: ' + e.message); }
        check(s3.runners.length > 0 && s3.runners.length === Object.keys(want).length &&
              s3.runners.every((r, k) => r && want[k] && r.x === want[k][0] && r.y === want[k][1]),
              `Ctrl+S: trace of the download at step ${s3.step}: ${JSON.stringify(want)}, page ${JSON.stringify(s3.runners)}`);
        const text = fs.readFileSync(saved, 'utf8');
        const startLine = text.split('\n').find((l) => /^\s*start\b/.test(l)) || '';
        const nums = (startLine.match(/-?[0-9][0-9.eE+-]*/g) || []).map(Number);
        check(nums.length >= 2 && nums[0] === s3.start[0] && nums[1] === s3.start[1],
              `Ctrl+S: the file's start (${startLine}) is the page's (${s3.start})`);
      }
      const prevented = await page.evaluate(() => !window.dispatchEvent(
        new KeyboardEvent('keydown', { key: 's', ctrlKey: true, cancelable: true })));
      check(prevented, "Ctrl+S: the browser's own save is prevented");
      await page.evaluate(() => document.getElementById('save').click());
      const saved3 = path.join(dl, 'optiscape-0003.scene');
      for (let i = 0; i < 200 && !fs.existsSync(saved3); i++) await new Promise((r) => setTimeout(r, 50));
      check(fs.existsSync(saved3) && fs.existsSync(saved) &&
            fs.readFileSync(saved3, 'utf8') === fs.readFileSync(saved, 'utf8'),
            'save: the button downloads the same scene file as Ctrl+S');
      await cdp.detach();
      await page.close();
    }

    // touch: a finger from the start drags it; a finger elsewhere pans; a tap sets the
    // start; two fingers moving apart from 100 to 200 px zoom in 2x about their
    // midpoint and leave the start where it was
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=07-learning-rate', errors);
      const s0 = await waitFrames(page, 3, 60000);
      if (!s0) throw new Error('touch: the page drew no 3 frames within 60 s');
      await page.evaluate(() => Module._web_set_playing(0));
      const rect = await canvasRect(page);
      const sA = await waitFrames(page, s0.frames + 2, 10000);
      let mp = mapper(sA, rect);
      const cdp = await page.target().createCDPSession();
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
      const touch = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
      const [sx, sy] = mp.toPx(sA.start[0], sA.start[1]).map(Math.round);
      await touch('touchStart', [{ x: sx, y: sy, id: 7 }]);
      for (let i = 1; i <= 5; i++) await touch('touchMove', [{ x: sx - 20 * i, y: sy + 10 * i, id: 7 }]);
      await touch('touchEnd', []);
      const s1 = await settle(page);
      let want = mp.toWorld(sx - 100, sy + 50);
      check(Math.abs(s1.start[0] - want[0]) <= mp.du && Math.abs(s1.start[1] - want[1]) <= mp.du,
            `touch: a finger's drag from the start puts it at (${want}), got (${s1.start})`);
      const [px, py] = [Math.round(rect[0] + s1.map[0] + 0.2 * s1.map[2]), Math.round(rect[1] + s1.map[1] + 0.3 * s1.map[3])];
      await touch('touchStart', [{ x: px, y: py, id: 8 }]);
      for (let i = 1; i <= 4; i++) await touch('touchMove', [{ x: px + 20 * i, y: py - 10 * i, id: 8 }]);
      await touch('touchEnd', []);
      const sP = await settle(page);
      const span = s1.view[1] - s1.view[0];
      check(Math.abs(sP.view[0] - (s1.view[0] - 80 * mp.du)) <= 1e-9 * span &&
            Math.abs(sP.view[2] - (s1.view[2] - 40 * mp.du)) <= 1e-9 * span,
            `touch: a finger elsewhere pans (${s1.view} -> ${sP.view})`);
      check(sP.start[0] === s1.start[0] && sP.start[1] === s1.start[1], 'touch: the pan leaves the start');
      mp = mapper(sP, rect);
      const [tx, ty] = [Math.round(rect[0] + sP.map[0] + 0.7 * sP.map[2]), Math.round(rect[1] + sP.map[1] + 0.6 * sP.map[3])];
      await touch('touchStart', [{ x: tx, y: ty, id: 9 }]);
      await touch('touchEnd', []);
      const sT = await settle(page);
      want = mp.toWorld(tx, ty);
      check(Math.abs(sT.start[0] - want[0]) <= mp.du && Math.abs(sT.start[1] - want[1]) <= mp.du,
            `touch: a tap puts the start at (${want}), got (${sT.start})`);
      const [mx, my] = [Math.round(rect[0] + sT.map[0] + 0.5 * sT.map[2]), Math.round(rect[1] + sT.map[1] + 0.55 * sT.map[3])];
      const pts = (h) => [{ x: mx - h, y: my, id: 1 }, { x: mx + h, y: my, id: 2 }];
      await touch('touchStart', pts(50));
      for (let h = 55; h <= 100; h += 5) await touch('touchMove', pts(h));
      await touch('touchEnd', []);
      const s2 = await settle(page);
      const w0 = sT.view[1] - sT.view[0], w1 = s2.view[1] - s2.view[0];
      check(Math.abs(w0 / w1 - 2) < 1e-4, `pinch: the view narrows 2x (${w0} -> ${w1})`);
      const under = mp.toWorld(mx, my);
      const after = mapper(s2, rect).toWorld(mx, my);
      check(Math.abs(after[0] - under[0]) <= mp.du && Math.abs(after[1] - under[1]) <= mp.du,
            `pinch: the point between the fingers stays (${under} -> ${after})`);
      check(s2.start[0] === sT.start[0] && s2.start[1] === sT.start[1],
            `pinch: the start stays at (${sT.start}), got (${s2.start})`);
      check(errors.length === 0, 'touch: console errors: ' + errors.join(' | '));
      await cdp.detach();
      await page.close();
    }

    // class mode and the 3D view by link
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=34-3d-saddles&class', errors);
      const s = await waitFrames(page, 3, 60000);
      check(s && s.class === 1 && s.view3d === 1, `#lesson=34-3d-saddles&class: class mode and 3D (${s && JSON.stringify({ class: s.class, view3d: s.view3d })})`);
      check(errors.length === 0, 'class: console errors: ' + errors.join(' | '));
      await page.close();
      // a network lab's preset in class mode: the lab shown, training
      const errorsN = [];
      const pageN = await open(browser, base, '#lesson=38-bn-high-lr&class', errorsN);
      const n0 = await waitFrames(pageN, 3, 60000);
      check(n0 && n0.class === 1 && n0.net && n0.net.shown === 1 && n0.net.labs.length === 3,
            `#lesson=38-bn-high-lr&class: class mode and the network lab (${n0 && JSON.stringify({ class: n0.class, net: n0.net })})`);
      const n1 = n0 && await waitFrames(pageN, n0.frames + 20, 30000);
      check(n1 && n1.net && n1.net.labs[0].step > n0.net.labs[0].step,
            `#lesson=38-bn-high-lr&class: the lab trains (step ${n0 && n0.net && n0.net.labs[0].step} -> ${n1 && n1.net && n1.net.labs[0].step})`);
      if (outDir && n1) fs.writeFileSync(path.join(outDir, 'web-class-38-bn-high-lr.png'), await pageN.screenshot({ type: 'png' }));
      check(errorsN.length === 0, 'class (network): console errors: ' + errorsN.join(' | '));
      await pageN.close();
    }

    // Shift+J: the network lab's slice becomes the landscape (a plane file in the
    // page's memory), with no error on the page; its field is made (in slices of the
    // frames: seconds) and the runner on the plane moves
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=40-model-bias', errors);
      const s0 = await waitFrames(page, 3, 60000);
      let s = s0;
      for (let i = 0; s && i < 300 && !(s.net && s.net.labs[0].slice[0] >= 1); i++) { await sleep(100); s = await state(page); }
      check(s && s.net && s.net.labs[0].slice[0] >= 1, `Shift+J: the slice of 40-model-bias is made (${s && JSON.stringify(s.net)})`);
      await page.focus('#canvas');
      await page.keyboard.down('Shift');
      await page.keyboard.press('KeyJ');
      await page.keyboard.up('Shift');
      const sJ = await settle(page);
      check(sJ && sJ.net && sJ.net.shown === 0 && sJ.runners.length === 1 && sJ.runners[0] !== null,
            `Shift+J: the plane as the landscape, one runner (${sJ && JSON.stringify({ net: sJ.net && sJ.net.shown, runners: sJ.runners })})`);
      const sF = await waitField(page, 90000);
      check(sF !== null, "Shift+J: the plane's field is made within 90 s");
      const text = await page.evaluate(() => document.getElementById('status').textContent);
      check(text === '' && errors.length === 0, `Shift+J: no error on the page (${text} ${errors.join(' | ')})`);
      if (outDir && sF) fs.writeFileSync(path.join(outDir, 'web-plane-40-model-bias.png'), await page.screenshot({ type: 'png' }));
      await page.close();
    }

    // share with a network lab: the link opens its labs at the same steps, the same rows
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=46-saddle-many-dims', errors);
      const s0 = await waitFrames(page, 3, 60000);
      if (!s0) throw new Error('share (network): the page drew no 3 frames within 60 s');
      await waitFrames(page, s0.frames + 20, 30000);
      await page.evaluate(() => Module._web_set_playing(0));
      const s = await settle(page);
      const href = await page.evaluate(() => optiscapeShare());
      const again = await open(browser, base, href.slice(href.indexOf('#')), errors);
      const t = await waitFrames(again, 3, 60000);
      check(t && t.net && s.net && t.playing === 0 && t.net.labs.length === s.net.labs.length &&
            t.net.labs.every((lab, k) => lab.step === s.net.labs[k].step && lab.row === s.net.labs[k].row),
            `share (network): the link's labs ${t && JSON.stringify(t.net)}, shared ${JSON.stringify(s.net)}`);
      check(errors.length === 0, 'share (network): console errors: ' + errors.join(' | '));
      await again.close();
      await page.close();
    }

    // open: a scene file chosen with the picker opens, its runners where trace puts them
    {
      const errors = [];
      const page = await open(browser, base, '#lesson=07-learning-rate', errors);
      if (!(await waitFrames(page, 3, 60000))) throw new Error('open: the page drew no 3 frames within 60 s');
      const file = path.join(scenes, '02-escape-saddle.scene');
      const input = await page.$('#file');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }).catch(() => {}), input.uploadFile(file)]);
      const s0 = await waitFrames(page, 3, 60000);
      if (!s0) throw new Error('open: the opened scene drew no 3 frames within 60 s');
      await page.evaluate(() => Module._web_set_playing(0));
      const s = await waitFrames(page, s0.frames + 2, 10000);
      const want = trace(file, s.step);
      check(page.url().includes('#scene='), 'open: the link holds the opened scene');
      check(s.runners.length === Object.keys(want).length &&
            s.runners.every((r, k) => r && want[k] && r.x === want[k][0] && r.y === want[k][1]),
            `open: ${file} at step ${s.step}: runners ${JSON.stringify(s.runners)}, trace ${JSON.stringify(want)}`);
      check(errors.length === 0, 'open: console errors: ' + errors.join(' | '));
      await page.close();
    }

    // a bad link: one line that names what is wrong
    for (const [hash, what] of [['#lesson=no-such-lesson', 'no-such-lesson'], ['#landscape=nowhere', 'nowhere'],
                                ['#lesson=../x', 'lesson']]) {
      const errors = [];
      const page = await open(browser, base, hash, errors);
      await page.waitForFunction(() => document.getElementById('status').textContent.length > 0, { timeout: 30000 })
        .catch(() => {});
      const text = await page.evaluate(() => document.getElementById('status').textContent);
      check(text.split('\n').length === 1 && text.includes(what), `${hash}: one line naming ${what}, got "${text}"`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`test_page: ${checks} checks, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error('test_page: ' + (e && e.stack || e)); process.exit(1); });
