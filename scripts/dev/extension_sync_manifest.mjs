// Writes the extension's contributions into package.json from their single declarations (the command table and
// the settings, via src/extension/manifest.ts), plus the packaging fields. Run it under the shared lock:
//   flock /tmp/gym-npm.lock node scripts/dev/extension_sync_manifest.mjs
// With --check it only reports whether package.json is in sync (exit 1 if not).
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const check = process.argv.includes('--check');

const outDir = mkdtempSync(join(tmpdir(), 'gym-manifest-'));
let manifest;
try {
  const outfile = join(outDir, 'manifest.cjs');
  await esbuild.build({ entryPoints: [join(root, 'src/extension/manifest.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  manifest = createRequire(import.meta.url)(outfile);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

const packagePath = join(root, 'package.json');
const original = readFileSync(packagePath, 'utf8');
const pkg = JSON.parse(original);
pkg.activationEvents = [...manifest.ACTIVATION_EVENTS];
pkg.contributes = manifest.manifestContributes();
// Everything the extension runs is bundled into dist/, so vsce needs no node_modules.
pkg.vsce = { ...(pkg.vsce ?? {}), dependencies: false };
const updated = `${JSON.stringify(pkg, null, 2)}\n`;

if (check) {
  if (updated !== original) {
    console.error('package.json contributions are out of date: run node scripts/dev/extension_sync_manifest.mjs');
    process.exit(1);
  }
  console.log('package.json contributions are in sync.');
} else if (updated !== original) {
  writeFileSync(packagePath, updated);
  console.log('package.json contributions updated.');
} else {
  console.log('package.json contributions already in sync.');
}
