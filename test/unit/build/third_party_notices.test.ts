import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript (scripts/ is not part of the typed sources)
import { bundledPackageFolders, thirdPartyNotices } from '../../../scripts/third_party_notices.mjs';

type Metafile = { inputs: Record<string, unknown> };
const notices = thirdPartyNotices as (metafiles: Metafile[], root?: string) => { packages: string[]; text: string };
const folders = bundledPackageFolders as (metafiles: Metafile[]) => string[];

const root = resolve(__dirname, '../../..');
let dir: string | null = null;

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function packageAt(folder: string, pkg: Record<string, unknown>, files: Record<string, string> = {}): void {
  write(join(folder, 'package.json'), JSON.stringify(pkg));
  write(join(folder, 'index.js'), 'module.exports = 1;');
  for (const [name, text] of Object.entries(files)) write(join(folder, name), text);
}

function metafile(...inputs: string[]): Metafile {
  return { inputs: Object.fromEntries(inputs.map((input) => [input, {}])) };
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('third-party notices of the bundles', () => {
  it('name each bundled package once, scoped and nested ones too, with its licence files', () => {
    dir = mkdtempSync(join(tmpdir(), 'gym-notices-'));
    packageAt(join(dir, 'node_modules/alpha'), { name: 'alpha', version: '1.2.3', license: 'MIT' }, { LICENSE: 'Copyright (c) Alpha Authors\nMIT text' });
    packageAt(join(dir, 'node_modules/@scope/beta'), { name: '@scope/beta', version: '2.0.0', license: 'Apache-2.0' }, { 'LICENSE.md': 'Apache text', NOTICE: 'Beta notice' });
    packageAt(join(dir, 'node_modules/alpha/node_modules/gamma'), { name: 'gamma', version: '0.1.0', license: 'MIT', author: { name: 'Gamma Person' } });
    const result = notices(
      [metafile('src/a.ts', 'node_modules/alpha/index.js', 'node_modules/alpha/lib/x.js'), metafile('node_modules/@scope/beta/index.js', 'node_modules/alpha/node_modules/gamma/index.js')],
      dir,
    );
    expect(result.packages).toEqual(['@scope/beta@2.0.0', 'alpha@1.2.3', 'gamma@0.1.0']);
    expect(result.text).toContain('Copyright (c) Alpha Authors\nMIT text');
    expect(result.text).toContain('Apache text\n\nBeta notice');
    // No licence file: the MIT text its package.json names, with its author.
    expect(result.text).toContain('Copyright (c) Gamma Person');
    expect(result.text).toContain('Permission is hereby granted, free of charge');
  });

  it('refuse a bundled package that gives no licence text to carry', () => {
    dir = mkdtempSync(join(tmpdir(), 'gym-notices-'));
    packageAt(join(dir, 'node_modules/delta'), { name: 'delta', version: '3.0.0', license: 'GPL-3.0' });
    expect(() => notices([metafile('node_modules/delta/index.js')], dir as string)).toThrow(/delta@3\.0\.0 .*ships no licence file .*GPL-3\.0/);
  });

  it('cover every package in the webview and host bundles (built here the way scripts/build.mjs builds them)', async () => {
    const built = await Promise.all(
      [
        { entryPoints: [join(root, 'webview/main.ts')], platform: 'browser' as const, loader: { '.css': 'css' as const } },
        { entryPoints: [join(root, 'src/cli/main.ts')], platform: 'node' as const },
      ].map((options) => esbuild.build({ ...options, absWorkingDir: root, bundle: true, write: false, metafile: true, logLevel: 'silent', alias: { debug: join(root, 'scripts/no-debug.mjs') } })),
    );
    const metafiles = built.map((result) => result.metafile);
    const bundled = folders(metafiles).map((folder) => (JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { name: string }).name);
    expect(bundled).toEqual(expect.arrayContaining(['markdown-it', 'lit', 'diff', '@tanstack/virtual-core', 'ws', 'openai', 'zod']));
    const { packages, text } = notices(metafiles, root);
    for (const name of bundled) expect(packages.some((entry) => entry.startsWith(`${name}@`)), name).toBe(true);
    expect(text).toContain('Copyright (c) 2014 Vitaly Puzrin, Alex Kocharin.');
  });
});
