// Runs a TypeScript benchmark: bundles it with esbuild into a temporary directory, then runs the bundle with this
// Node. Usage: node scripts/run-bench.mjs bench/<name>.bench.ts [arguments passed to the benchmark]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-bench.mjs <file.ts> [arguments]');
  process.exit(2);
}

const outDir = mkdtempSync(join(tmpdir(), 'gym-bench-'));
const outFile = join(outDir, basename(entry).replace(/\.ts$/, '.cjs'));
try {
  await esbuild.build({
    entryPoints: [resolve(entry)],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'warning',
    // esbuild cannot be bundled (benchmarks use it to start helper processes), nor playwright-core (it reads its own
    // package.json at run time); they resolve through NODE_PATH.
    external: ['esbuild', 'playwright-core'],
  });
  // The regex worker thread, found next to the bundle (src/core/python/regex_guard.ts).
  await esbuild.build({ entryPoints: [resolve('src/core/python/regex_worker.ts')], outfile: join(outDir, 'regex_worker.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'warning' });
  const result = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), outFile, ...rest], { stdio: 'inherit', cwd: process.cwd(), env: { ...process.env, NODE_PATH: resolve('node_modules') } });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
