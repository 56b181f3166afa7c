// Writes app.json beside a built page's index.html: the content-hashed names of the files its
// app starts from (the JS loader, the wasm, the stylesheet). static/embed.js reads it to start
// the app on a documentation page without fetching index.html, which carries the default
// page's first frame. Run by scripts/build-full.sh for the default page and the full page:
//
//   node scripts/app-files.mjs <folder with index.html>...

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

for (const dir of process.argv.slice(2)) {
  const page = await readFile(join(dir, 'index.html'), 'utf8');
  const find = (pattern, what) => {
    const match = page.match(pattern);
    if (!match) throw new Error(`${dir}/index.html names no ${what}`);
    return match[1].replace(/^\.\//, '');
  };
  const files = {
    script: find(/from\s*'([^']+\.js)'/, 'app script'),
    wasm: find(/module_or_path:\s*'([^']+\.wasm)'/, 'wasm file'),
    style: find(/href=["']?([^"' >]*style-[^"' >]+\.css)/, 'stylesheet'),
  };
  await writeFile(join(dir, 'app.json'), `${JSON.stringify(files)}\n`);
}
