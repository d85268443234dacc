// bench_page: the browser edition's time to first frame and frame rate in headless
// Chromium (WebGL2 on SwiftShader), served from 127.0.0.1:
//   NODE_PATH=build-web-deps/node/node_modules node web/bench_page.js SITE_DIR [LESSON] [WxH] [SECONDS]
// (tools/web-test.sh installs puppeteer-core there.) Prints, per run, the milliseconds
// from the navigation's start to the first frame drawn, and the frames per second
// drawn over SECONDS (default 5) with the runners playing. LESSON "default" opens the
// page without a fragment: the default scene, as `optiscape bench frames` draws it.
'use strict';
const path = require('path');
const { serve, launch } = require('./page_host.js');

const [siteArg, lesson = '07-learning-rate', size = '1280x720', secs = '5'] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node web/bench_page.js SITE_DIR [LESSON] [WxH] [SECONDS]');
  process.exit(2);
}
const site = path.resolve(siteArg);
const [W, H] = size.split('x').map(Number);

const frames = () => {
  /* global Module */
  if (typeof Module === 'undefined' || Module.calledRun !== true) return 0;
  return JSON.parse(Module.UTF8ToString(Module._web_state())).frames;
};

(async () => {
  const server = await serve(site);
  const base = 'http://127.0.0.1:' + server.address().port + '/';
  const browser = await launch(W, H);
  try {
    for (let run = 1; run <= 3; run++) {
      const page = await browser.newPage();
      await page.setViewport({ width: W, height: H, deviceScaleFactor: 1 });
      // a fresh load each run: nothing from the cache
      await page.setCacheEnabled(false);
      const hash = lesson === 'default' ? '' : '#lesson=' + lesson;
      await page.goto(base + 'index.html' + hash, { waitUntil: 'load' });
      await page.waitForFunction(frames, { polling: 'raf', timeout: 60000 });
      const first = await page.evaluate(() => performance.now());
      const f0 = await page.evaluate(frames), t0 = Date.now();
      await new Promise((r) => setTimeout(r, 1000 * Number(secs)));
      const f1 = await page.evaluate(frames), t1 = Date.now();
      const fps = (f1 - f0) / ((t1 - t0) / 1000);
      console.log(`bench_page: ${lesson} ${W}x${H} run ${run}: first frame ${first.toFixed(0)} ms, ` +
                  `${fps.toFixed(1)} frames/s over ${secs} s`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => { console.error('bench_page: ' + (e && e.stack || e)); process.exit(1); });
