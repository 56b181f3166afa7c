// Faultline widgets for documentation pages, without an iframe.
//
//   <script type="module" src="https://example.org/faultline/embed.js"></script>
//   <div data-faultline="raft-partition" data-nodes="5" data-seed="7" data-height="420"></div>
//
// Every element with a data-faultline attribute becomes an independent widget (names: see
// docs/embedding.md). This loader touches nothing of the host page outside those elements:
// it gives each one a shadow root holding Faultline's stylesheet and a mount point, then starts
// the app, which mounts a widget at each. It fetches only Faultline's own files, found next to
// this script: app.json (the content-hashed names of the app's files), the
// stylesheet, the JS loader and the wasm.
const widgets = [...document.querySelectorAll('[data-faultline]')].filter((el) => !el.shadowRoot);
// The widgets of modes the default page's app leaves out (src/content/presets.rs, Mode::in_bundle)
// run on the full page's app, in full/; a page's widgets all share one app, so one such widget
// takes them all there.
const FULL_PAGE_WIDGETS = ['hash-ring', 'retransmit', '2pc', 'paxos', 'primary-backup'];
const full = widgets.some((el) => FULL_PAGE_WIDGETS.includes(el.getAttribute('data-faultline')));
const base = new URL(full ? './full/' : './', import.meta.url);

if (widgets.length > 0) {
  // The content-hashed names of the app's files (written at build time by scripts/app-files.mjs).
  const response = await fetch(new URL('app.json', base));
  if (!response.ok) throw new Error(`Faultline: ${response.url} answered ${response.status}`);
  const files = await response.json();
  const [script, wasm, style] = [files.script, files.wasm, files.style].map((f) => new URL(f, base).href);
  for (const el of widgets) {
    const shadow = el.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = style;
    const root = document.createElement('div');
    root.setAttribute('data-faultline-root', '');
    // Where the app finds the rest of its own files (the Chinese text catalogue).
    root.setAttribute('data-faultline-base', base.href);
    shadow.append(link, root);
  }
  const app = await import(script);
  await app.default({ module_or_path: wasm });
}
