/**
 * Task generation speed and acceptance: `node scripts/run-bench.mjs bench/generate_tasks.bench.ts [numTasks] [seed]`.
 * Prints tasks/s, the acceptance rate and the rejections by reason.
 */
import { resolve } from 'node:path';
import { createWorkplaceEnvironment, loadWorkplaceTables } from '../src/core/environments/workplace';
import { buildReport, formatReport, generateTasks } from '../src/core/generate';

async function main(): Promise<void> {
  const numTasks = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  const environment = createWorkplaceEnvironment(await loadWorkplaceTables(resolve('data/workplace_assistant')));
  const started = performance.now();
  const { tasks, stats } = await generateTasks(environment, { numTasks, seed });
  const seconds = (performance.now() - started) / 1000;
  const report = buildReport({ seed, numTasks, noActionShare: 0.15 }, tasks, stats, { enabled: false, rewritten: 0, paraphrase_rejected: 0, failed: 0 });
  process.stdout.write(formatReport(report));
  process.stdout.write(`${numTasks} tasks in ${seconds.toFixed(2)} s: ${(numTasks / seconds).toFixed(0)} tasks/s, ${(stats.candidates / seconds).toFixed(0)} candidates/s\n`);
  process.stdout.write(`${JSON.stringify(report.rejection_examples, null, 2)}\n`);
}

void main();
