// The notices of the npm packages bundled into dist/: their licences ask that the copyright notice and licence
// text travel with every copy, and esbuild's bundles (minified, `legalComments: 'none'`) keep neither. From the
// builds' metafiles: each package that put a file into a bundle, with its version, licence and licence text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The MIT licence's text, for a package that names MIT in package.json but ships no licence file. */
const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/**
 * The package folders (relative to `root`) that files of the bundles came from: the innermost `node_modules/<name>`
 * or `node_modules/@scope/<name>` of each input path.
 */
export function bundledPackageFolders(metafiles) {
  const folders = new Set();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const path = input.replace(/\\/g, '/');
      const at = path.lastIndexOf('node_modules/');
      if (at < 0) continue;
      const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(at));
      if (match) folders.add(path.slice(0, at) + match[0]);
    }
  }
  return [...folders];
}

function authorOf(pkg) {
  if (typeof pkg.author === 'string') return pkg.author;
  if (pkg.author && typeof pkg.author.name === 'string') return pkg.author.name;
  return null;
}

/** One package's notice: name, version, licence and the text of its licence files. Throws when it has none to give. */
export function packageNotice(folder) {
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? null);
  const files = readdirSync(folder).filter((file) => LICENCE_FILE.test(file)).sort();
  let text = files.map((file) => readFileSync(join(folder, file), 'utf8').trim()).join('\n\n');
  if (text === '') {
    const author = authorOf(pkg);
    if (licence !== 'MIT' || !author) {
      throw new Error(`${pkg.name}@${pkg.version} (${folder}) ships no licence file and its package.json names ${licence ?? 'no licence'}${author ? '' : ' and no author'}: review its licence before bundling it`);
    }
    text = `(The package ships no licence file; its package.json names the MIT licence and this author.)\n\nCopyright (c) ${author}\n\n${MIT_TEXT}`;
  }
  return { name: pkg.name, version: pkg.version, licence: licence ?? 'see the text', text };
}

/** The notices file for the bundles built from `metafiles`, with paths relative to `root`. */
export function thirdPartyNotices(metafiles, root = '.') {
  const byName = new Map();
  for (const folder of bundledPackageFolders(metafiles)) {
    const path = join(root, folder);
    if (!existsSync(join(path, 'package.json'))) continue;
    const notice = packageNotice(path);
    byName.set(`${notice.name}@${notice.version}`, notice);
  }
  const notices = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const lines = [
    'Third-party notices',
    '',
    'The bundles in this folder (the extension, the host, the command line, the webview) contain code from these',
    'npm packages, under the licences below.',
    '',
    ...notices.map((n) => `- ${n.name} ${n.version} (${n.licence})`),
  ];
  for (const n of notices) lines.push('', '='.repeat(78), `${n.name} ${n.version} (${n.licence})`, '='.repeat(78), '', n.text);
  return { packages: notices.map((n) => `${n.name}@${n.version}`), text: `${lines.join('\n')}\n` };
}
