import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Builds the viewer bundle the way scripts/build.mjs does (its webview context: browser, esm, es2022) into a
 * temporary directory, so browser tests run against the current source even while other parts of the tree do
 * not build.
 */
export async function buildWebviewBundle(repoRoot = resolve(__dirname, '../../../..')): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), 'gym-viewer-bundle-'));
  await esbuild.build({
    entryPoints: { viewer: join(repoRoot, 'webview/main.ts') },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    loader: { '.css': 'css' },
  });
  const staticDir = join(repoRoot, 'webview/static');
  if (existsSync(staticDir)) cpSync(staticDir, outdir, { recursive: true });
  return outdir;
}
