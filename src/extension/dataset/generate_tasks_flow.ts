/**
 * "Generate Training Tasks": ask for a count, a seed and an output file, generate in this process (a thousand tasks
 * take about a second), write the tasks and the report, open the report. Editor-free: the editor is behind
 * `GenerateTasksUi`, so the flow is tested with a fake one.
 */
import { resolveWorkplaceDataDirectory } from '../../core/data/workplace_data_dir';
import { createWorkplaceEnvironment } from '../../core/environments/workplace';
import { loadWorkplaceTables } from '../../core/environments/workplace/tables';
import { generateTasks } from '../../core/generate/generate';
import { writeGeneratedTasks } from '../../core/generate/output';
import { buildReport, type GenerationReport } from '../../core/generate/report';
import type { Logger } from '../../core/logger';

export interface GenerateTasksUi {
  /** Asks for text; `validate` returns an error message or null; undefined when the user cancels. */
  ask(prompt: string, value: string, validate: (text: string) => string | null): Promise<string | undefined>;
  /** Asks where to save; undefined when the user cancels. */
  askOutputPath(defaultPath: string): Promise<string | undefined>;
  /** Runs the work with a progress notification. */
  withProgress<T>(title: string, work: () => Promise<T>): Promise<T>;
  openFile(path: string): Promise<void>;
  info(message: string): void;
  error(message: string): void;
}

export interface GenerateTasksDeps {
  ui: GenerateTasksUi;
  logger: Logger;
  /** The folder new files go to by default, and where a NeMo Gym checkout is looked for. */
  folder: string;
  /** The data directory setting, resolved; null for automatic. */
  configuredDataDirectory: string | null;
}

export interface GenerateTasksOutcome {
  outputPath: string;
  reportPath: string;
  report: GenerationReport;
}

const wholeNumber = (min: number, max: number) => (text: string) => (/^\s*\d+\s*$/.test(text) && Number(text) >= min && Number(text) <= max ? null : `Enter a whole number from ${min} to ${max}.`);

export async function generateTrainingTasks(deps: GenerateTasksDeps): Promise<GenerateTasksOutcome | undefined> {
  const { ui } = deps;
  const count = await ui.ask('How many tasks?', '200', wholeNumber(1, 100_000));
  if (count === undefined) return undefined;
  const seed = await ui.ask('Seed (the same seed gives the same tasks)', '0', wholeNumber(0, 2 ** 31 - 1));
  if (seed === undefined) return undefined;
  const outputPath = await ui.askOutputPath(`${deps.folder}/generated_tasks_seed${Number(seed)}.jsonl`);
  if (outputPath === undefined) return undefined;
  const numTasks = Number(count);
  try {
    const outcome = await ui.withProgress(`Generating ${numTasks} tasks…`, async () => {
      const data = await resolveWorkplaceDataDirectory({ configuredDirectory: deps.configuredDataDirectory, searchRoots: [deps.folder], logger: deps.logger });
      const environment = createWorkplaceEnvironment(await loadWorkplaceTables(data.directory));
      const { tasks, stats } = await generateTasks(environment, { numTasks, seed: Number(seed) });
      const report = buildReport({ seed: Number(seed), numTasks, noActionShare: 0.15 }, tasks, stats, { enabled: false, rewritten: 0, paraphrase_rejected: 0, failed: 0 });
      const reportPath = await writeGeneratedTasks(outputPath, tasks, report);
      return { outputPath, reportPath, report };
    });
    deps.logger.info(`Generated ${outcome.report.kept} tasks: ${outcome.outputPath} (report ${outcome.reportPath})`);
    await ui.openFile(outcome.reportPath);
    ui.info(`Wrote ${outcome.report.kept} tasks (acceptance ${(outcome.report.acceptance_rate * 100).toFixed(1)}%) to ${outcome.outputPath}.`);
    return outcome;
  } catch (error) {
    ui.error(`Generating tasks failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
