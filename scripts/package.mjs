// `npm run package`: the release .vsix. A production build (minified, no source maps) in a staging folder, then
// `vsce package` there, so the working tree's dist/ (the development build the CLI and tests use) is untouched.
// Prints the package's path, size and file count, and refuses a package holding a source map or a test file.
//
//   node scripts/package.mjs [--out-dir DIR] [--json]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VSCE = join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const outputDirectory = resolve(option('--out-dir', join(REPO_ROOT, 'dist-package')));
const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const vsixPath = join(outputDirectory, `${name}-${version}.vsix`);
const staging = mkdtempSync(join(tmpdir(), 'gym-vsix-'));
let files;
try {
  for (const linked of ['src', 'webview', 'node_modules']) symlinkSync(join(REPO_ROOT, linked), join(staging, linked));
  for (const file of ['package.json', '.vscodeignore', 'README.md', 'LICENSE']) copyFileSync(join(REPO_ROOT, file), join(staging, file));
  for (const folder of ['configs', 'data']) cpSync(join(REPO_ROOT, folder), join(staging, folder), { recursive: true });
  run([join(REPO_ROOT, 'scripts/build.mjs'), '--production'], staging);
  mkdirSync(outputDirectory, { recursive: true });
  rmSync(vsixPath, { force: true });
  run([VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsixPath], staging);
  files = run([VSCE, 'ls', '--no-dependencies'], staging).split('\n').filter((line) => line.trim() !== '');
} finally {
  rmSync(staging, { recursive: true, force: true });
}

const unwanted = files.filter((file) => file.endsWith('.map') || /^(src|test|bench|node_modules)\//.test(file));
if (unwanted.length > 0) {
  rmSync(vsixPath, { force: true });
  console.error(`The package would hold files it must not: ${unwanted.join(', ')}`);
  process.exit(1);
}
const bytes = statSync(vsixPath).size;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ path: vsixPath, bytes, files }));
} else {
  console.log(`${vsixPath}: ${(bytes / 1024).toFixed(0)} KiB (${bytes} bytes), ${files.length} files`);
}
