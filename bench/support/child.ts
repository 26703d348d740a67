import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

/** Bundles a TypeScript entry and starts it as a child process; resolves with its first stdout line. */
export async function startBundledChild(entry: string, args: string[] = []): Promise<{ child: ChildProcess; firstLine: string }> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'gym-bench-child-')), 'child.cjs');
  await esbuild.build({ entryPoints: [resolve(entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'warning' });
  // The regex worker thread a resources server starts, next to the bundle (src/core/python/regex_guard.ts).
  const worker = join(dirname(outfile), 'regex_worker.js');
  await esbuild.build({ entryPoints: [resolve('src/core/python/regex_worker.ts')], outfile: worker, bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'warning' });
  const child = spawn(process.execPath, [outfile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolvePromise, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolvePromise(buffer.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return { child, firstLine };
}
