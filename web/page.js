// page.js: the glue between the page and optiscape's program. The link's fragment
// is the scene: #lesson=NAME opens the preset lesson NAME (--scene /scenes/NAME.scene),
// every other key=value pair is the command-line option --key value, in order
// (#landscape=rosenbrock&optimizer=adam&optimizer=sgd:lr=0.001). A new fragment
// reopens the page with it. What the program writes on stderr is shown at the bottom.
'use strict';

function optiscapeArgs(hash) {
  const args = [];
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const val = eq < 0 ? null : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (key === 'lesson') {
      if (val === null || !/^[A-Za-z0-9_-]+$/.test(val))
        throw new Error('lesson: "' + val + '" is not a lesson name (letters, digits, - and _)');
      args.push('--scene', '/scenes/' + val + '.scene');
      continue;
    }
    if (!/^[a-z0-9-]+$/.test(key)) throw new Error('"' + key + '" is not an option name');
    args.push('--' + key);
    if (val !== null) args.push(val);
  }
  return args;
}

(function () {
  const status = document.getElementById('status');
  const say = (text) => { status.textContent += (status.textContent ? '\n' : '') + text; };
  let args = [];
  try {
    args = optiscapeArgs(location.hash);
  } catch (e) {
    say('optiscape: ' + e.message);
    args = null;
  }
  window.addEventListener('hashchange', () => location.reload());
  window.Module = {
    canvas: document.getElementById('canvas'),
    arguments: args || [],
    noInitialRun: args === null,
    print: (text) => console.log(text),
    printErr: (text) => { console.error(text); say(text); },
    onAbort: (what) => say('optiscape stopped: ' + what),
  };
})();
