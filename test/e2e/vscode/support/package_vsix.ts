/**
 * Packages the extension as a release does: `scripts/package.mjs` (the script behind `npm run package`), which
 * makes a production build (minified, no source maps) in a staging folder and runs `vsce package` there.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface PackagedVsix {
  path: string;
  bytes: number;
  /** What `vsce ls` says the package holds. */
  files: string[];
}

/** `repoRoot`: the checkout to package (a bundled benchmark passes its working directory: its own __dirname is elsewhere). */
export function packageVsix(outputDirectory: string, repoRoot = REPO_ROOT): PackagedVsix {
  const args = [resolve(repoRoot, 'scripts/package.mjs'), '--out-dir', outputDirectory, '--json'];
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`scripts/package.mjs failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as PackagedVsix;
}
