// Three esbuild contexts (ARCHITECTURE.md §8): the extension (cjs, `vscode` external), the host and CLI
// (node, nothing external, so an accidental `vscode` import fails the build) with the regex worker thread they
// start (dist/regex_worker.js, found next to them), and the webview (browser, esm).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { thirdPartyNotices } from './third_party_notices.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `debug` (used by the proxy agents) is replaced by a no-op: its lines would hold request headers.
const alias = { debug: fileURLToPath(new URL('./no-debug.mjs', import.meta.url)) };
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none', metafile: true, alias };

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

const contexts = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { host: 'src/host/main.ts', cli: 'src/cli/main.ts', regex_worker: 'src/core/python/regex_worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
  },
  {
    ...common,
    entryPoints: { viewer: 'webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'css' },
    // Minified in every build (with its source map in development): the page parses it on every open.
    minify: true,
  },
];

if (watch) {
  for (const options of contexts) (await esbuild.context(options)).watch();
} else {
  const results = await Promise.all(contexts.map((options) => esbuild.build(options)));
  if (existsSync('webview/static')) cpSync('webview/static', 'dist/webview', { recursive: true });
  // The bundles carry no licence comments: the bundled packages' notices travel beside them instead.
  writeFileSync('dist/THIRD_PARTY_NOTICES.txt', thirdPartyNotices(results.map((result) => result.metafile)).text);
}
