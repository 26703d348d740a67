/**
 * The chaos test at a larger scale: rollouts through a seeded fault mix, pathological patterns from the model, and
 * repeated kill -9 of the collector with resume. Prints how many runs it took, the time, and whether every key
 * ended exactly once (the test of the same name asserts it; this prints it for a long run).
 * Usage: node scripts/run-bench.mjs bench/chaos.bench.ts [repeats per task] [kills] [fault probability]
 */
import { cpus } from 'node:os';
import { runChaos } from '../test/support/chaos';

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 400);
  const kills = Number(process.argv[3] ?? 6);
  const faultProbability = Number(process.argv[4] ?? 0.1);
  console.log(`chaos: ${5 * repeats} rollouts, ${kills} kills, fault probability ${faultProbability}, ${cpus().length} cores`);
  const outcome = await runChaos({ repeats, kills, faultProbability, parallel: 32, seed: 7, pathologicalPatterns: true, maxResumes: 10 });
  const keyOf = (row: { _ng_task_index: number; _ng_rollout_index: number }) => `${row._ng_task_index}:${row._ng_rollout_index}`;
  const written = outcome.output.map(keyOf);
  const failed = outcome.failures.map(keyOf);
  const all = new Set([...written, ...failed]);
  const duplicates = written.length + failed.length - all.size;
  const missing = outcome.expectedKeys.filter((key) => !all.has(key)).length;
  for (const [index, run] of outcome.runs.entries()) console.log(`  run ${index + 1}: exit ${run.code}${run.killed ? ' (killed -9)' : ''}, ${run.seconds.toFixed(1)} s`);
  console.log(`faults injected: ${JSON.stringify(outcome.faults)}; model requests: ${outcome.modelRequests}`);
  console.log(`written ${written.length}, failed ${failed.length}, duplicates ${duplicates}, missing ${missing}; total ${outcome.seconds.toFixed(1)} s`);
  const last = outcome.runs[outcome.runs.length - 1]!;
  const expectedCode = failed.length === 0 ? 0 : 3;
  console.log(`last exit code ${last.code} (expected ${expectedCode}): ${duplicates === 0 && missing === 0 && last.code === expectedCode ? 'OK' : 'WRONG'}`);
}

void main();
