import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { GeneratedTask } from './generate';
import type { GenerationReport } from './report';
import { taskRowText } from './row';

/** `<dir>/<stem>_report.json` beside the output file. */
export function reportPathFor(outputPath: string): string {
  const extension = extname(outputPath);
  return join(dirname(outputPath), `${basename(outputPath, extension)}_report.json`);
}

/** The JSONL text of the tasks (one row per line, each ending in a newline). */
export function tasksJsonl(tasks: readonly GeneratedTask[], queries?: readonly string[]): string {
  return tasks.map((task, i) => `${taskRowText({ id: task.id, query: queries?.[i] ?? task.candidate.query, calls: task.candidate.calls, category: task.candidate.category })}\n`).join('');
}

/** Writes the tasks and the report; returns the report's path. */
export async function writeGeneratedTasks(outputPath: string, tasks: readonly GeneratedTask[], report: GenerationReport, queries?: readonly string[]): Promise<string> {
  await mkdir(dirname(outputPath), { recursive: true });
  await writeFile(outputPath, tasksJsonl(tasks, queries));
  const reportPath = reportPathFor(outputPath);
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return reportPath;
}
