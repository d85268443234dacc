// page.js: the glue between the page and optiscape's program. The link's fragment
// is the scene: #lesson=NAME opens the preset lesson NAME (--scene /scenes/NAME.scene),
// every other key=value pair is the command-line option --key value, in order
// (#landscape=rosenbrock&optimizer=adam&optimizer=sgd:lr=0.001), and #scene=TEXT is a
// shared scene, the text of a scene file. A new fragment reopens the page with it. What the program writes on stderr is shown at the bottom.
'use strict';

function optiscapeArgs(hash) {
  const args = [];
  let scene = null;
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const val = eq < 0 ? null : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (key === 'scene') {   // a shared scene: the scene file's text itself
      if (scene !== null) throw new Error('scene: given twice; a link holds one scene');
      scene = val || '';
      args.push('--scene', '/shared.scene');
      continue;
    }
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
  return { args, scene };
}

// "share": the scene as it is now goes into the link (#scene=TEXT) and, where the
// browser allows it, onto the clipboard
function optiscapeShare() {
  const text = Module.UTF8ToString(Module._web_share());
  if (!text) return null;
  history.replaceState(null, '', '#scene=' + encodeURIComponent(text));
  const note = document.getElementById('note');
  note.textContent = 'the link now holds this scene';
  setTimeout(() => { note.textContent = ''; }, 3000);
  if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(() => {});
  return location.href;
}

// a Blob download of data named name (an <a download> clicked, as a link the user
// chose "save as" on)
function optiscapeDownload(data, type, name) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

// A file the program wrote (a screenshot, a scene file) leaves as a download, named
// optiscape-0001.png, optiscape-0002.png, ... or optiscape-0001.scene, ... by kind
const optiscapeCount = { png: 0, scene: 0 };
function optiscapeOffer(p, kind) {
  const data = Module.FS.readFile(p);
  Module.FS.unlink(p);
  const n = String(++optiscapeCount[kind]).padStart(4, '0');
  return optiscapeDownload(data, kind === 'png' ? 'image/png' : 'text/plain', 'optiscape-' + n + '.' + kind);
}

// "PNG" (or F12, where the browser leaves that key to the page): the picture, taken
// after the next frame, as a PNG download; Shift+F12 is the window's (the map at 2x)
function optiscapeScreenshot() {
  return Module._web_screenshot(1) !== 0;
}

// "save" (or Ctrl+S, as in the window): the scene as it is now as a scene file
// download that "open" (or the native --scene) reopens
function optiscapeSaveScene() {
  return Module._web_save_scene() !== 0;
}

// "open" (a file picker) or a scene file dropped on the page: the page reopens with
// that scene in its link, as a shared one
function optiscapeOpen(file) {
  if (!file) return;
  file.text().then((text) => {
    history.replaceState(null, '', '#scene=' + encodeURIComponent(text));
    location.reload();
  });
}

(function () {
  const status = document.getElementById('status');
  const say = (text) => { status.textContent += (status.textContent ? '\n' : '') + text; };
  let args = [], scene = null;
  try {
    ({ args, scene } = optiscapeArgs(location.hash));
  } catch (e) {
    say('optiscape: ' + e.message);
    args = null;
  }
  document.getElementById('share').addEventListener('click', optiscapeShare);
  document.getElementById('shot').addEventListener('click', optiscapeScreenshot);
  document.getElementById('save').addEventListener('click', optiscapeSaveScene);
  const picker = document.getElementById('file');
  document.getElementById('open').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => optiscapeOpen(picker.files[0]));
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    optiscapeOpen(e.dataTransfer && e.dataTransfer.files[0]);
  });
  window.addEventListener('keydown', (e) => {
    if (e.key === 'F12' && !e.shiftKey && !e.ctrlKey && !e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      optiscapeScreenshot();
    }
    // Ctrl+S (Cmd+S on a Mac): the scene file, not the browser's "save page"
    if ((e.key === 's' || e.key === 'S') && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      e.stopPropagation();
      optiscapeSaveScene();
    }
  }, true);
  window.addEventListener('hashchange', () => location.reload());
  window.Module = {
    canvas: document.getElementById('canvas'),
    arguments: args || [],
    noInitialRun: args === null,
    preRun: [() => { if (scene !== null) Module.FS.writeFile('/shared.scene', scene); }],
    print: (text) => console.log(text),
    printErr: (text) => { console.error(text); say(text); },
    onAbort: (what) => say('optiscape stopped: ' + what),
  };
})();
