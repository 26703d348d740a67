/**
 * Packages the extension as a `.vsix` the way a release would: a production build (minified, no source maps)
 * into a staging folder, then `vsce package` there. Staging keeps the shared working tree's `dist/` untouched
 * while others build in it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface PackagedVsix {
  path: string;
  bytes: number;
  /** What `vsce ls` says the package holds. */
  files: string[];
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export function packageVsix(outputDirectory: string): PackagedVsix {
  const staging = mkdtempSync(join(tmpdir(), 'gym-vsix-'));
  try {
    for (const linked of ['src', 'webview', 'node_modules']) symlinkSync(join(REPO_ROOT, linked), join(staging, linked));
    for (const file of ['package.json', '.vscodeignore', 'README.md', 'LICENSE']) {
      if (existsSync(join(REPO_ROOT, file))) copyFileSync(join(REPO_ROOT, file), join(staging, file));
    }
    for (const folder of ['configs', 'data']) cpSync(join(REPO_ROOT, folder), join(staging, folder), { recursive: true });
    run(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs'), '--production'], staging);

    mkdirSync(outputDirectory, { recursive: true });
    const vsixPath = join(outputDirectory, 'gym-rollouts.vsix');
    rmSync(vsixPath, { force: true });
    const vsce = join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');
    const licenseFlags = existsSync(join(staging, 'LICENSE')) ? [] : ['--skip-license'];
    run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', ...licenseFlags, '--out', vsixPath], staging);
    const files = run(process.execPath, [vsce, 'ls', '--no-dependencies'], staging).split('\n').filter((line) => line.trim() !== '');
    return { path: vsixPath, bytes: statSync(vsixPath).size, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
