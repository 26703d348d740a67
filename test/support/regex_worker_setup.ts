/**
 * vitest globalSetup: tests run the TypeScript sources, which have no `regex_worker.js` beside them, so the regex
 * worker thread's entry is bundled once into a temporary folder and handed to every test process through
 * GYM_ROLLOUTS_REGEX_WORKER (see src/core/python/regex_guard.ts).
 */
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REGEX_WORKER_ENV } from '../../src/core/python/regex_guard';

export async function setup(): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'gym-regex-worker-'));
  const outfile = join(folder, 'regex_worker.js');
  await esbuild.build({
    entryPoints: [resolve(__dirname, '../../src/core/python/regex_worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'warning',
  });
  process.env[REGEX_WORKER_ENV] = outfile;
  return () => rmSync(folder, { recursive: true, force: true });
}
