import { resolve as resolvePath } from 'node:path';
import { resolveWorkplaceDataDirectory } from '../../core/data/workplace_data_dir';
import { createWorkplaceEnvironment, loadWorkplaceTables } from '../../core/environments/workplace';
import {
  buildReport,
  DEFAULT_NO_ACTION_SHARE,
  formatReport,
  generateTasks,
  openAIRewriter,
  paraphraseQueries,
  writeGeneratedTasks,
  type ParaphraseStats,
} from '../../core/generate';
import { stderrLogger, type CliIO } from '../cli_io';
import { boolOption, intOption, loadCommandConfig, stringOption, UsageError } from '../command_config';

const KNOWN_KEYS = [
  'output_jsonl_fpath',
  'num_tasks',
  'seed',
  'no_action_share',
  'paraphrase',
  'paraphrase_concurrency',
  'policy_base_url',
  'policy_model_name',
  'policy_api_key',
  'workplace_assistant_data_dir',
  'workplace_assistant_data_url',
  'workplace_assistant_data_download',
  'verbose',
];

const USAGE =
  'ng_generate_tasks +output_jsonl_fpath=tasks.jsonl +num_tasks=N [+seed=0] [+no_action_share=0.15] [+paraphrase=true]\n' +
  '    [+workplace_assistant_data_dir=DIR]: generate workplace_assistant training tasks whose ground truth is run and checked in\n' +
  '    the sandbox; writes the tasks and <stem>_report.json. +paraphrase=true rewrites the queries with the policy model\n' +
  '    (policy_base_url, policy_model_name, policy_api_key) and keeps a rewrite only if it holds every entity.\n';

function shareOption(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new UsageError(`+${name} should be a number from 0 to 1, not ${JSON.stringify(value)}.`);
  return number;
}

/** `ng_generate_tasks`: deterministic, sandbox-checked task generation (src/core/generate). */
export async function runNgGenerateTasks(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_generate_tasks', argv, io, KNOWN_KEYS);
  if (command.wantsHelp) {
    io.stdout(USAGE);
    return 0;
  }
  const output = stringOption(command.option('output_jsonl_fpath'), 'output_jsonl_fpath');
  if (!output) throw new UsageError('+output_jsonl_fpath is required: the JSONL file to write the tasks to.');
  const numTasks = intOption(command.option('num_tasks'), 'num_tasks');
  if (numTasks === undefined) throw new UsageError('+num_tasks is required: how many tasks to generate.');
  if (numTasks < 1) throw new UsageError(`+num_tasks should be at least 1, not ${numTasks}.`);
  const seed = intOption(command.option('seed'), 'seed') ?? 0;
  const noActionShare = shareOption(command.option('no_action_share'), 'no_action_share') ?? DEFAULT_NO_ACTION_SHARE;
  const paraphrase = boolOption(command.option('paraphrase'), 'paraphrase') ?? false;
  const concurrency = intOption(command.option('paraphrase_concurrency'), 'paraphrase_concurrency') ?? 4;
  if (concurrency < 1) throw new UsageError(`+paraphrase_concurrency should be at least 1, not ${concurrency}.`);
  const logger = stderrLogger(io, command.option('verbose') === true);

  let rewriterOptions: { baseURL: string; apiKey: string; model: string } | null = null;
  if (paraphrase) {
    const baseURL = stringOption(command.option('policy_base_url'), 'policy_base_url');
    const model = stringOption(command.option('policy_model_name'), 'policy_model_name');
    const apiKey = stringOption(command.option('policy_api_key'), 'policy_api_key');
    if (!baseURL) throw new UsageError('+paraphrase=true needs +policy_base_url (the OpenAI-compatible endpoint that rewrites the queries).');
    if (!model) throw new UsageError('+paraphrase=true needs +policy_model_name.');
    if (!apiKey) throw new UsageError("+paraphrase=true needs +policy_api_key (e.g. '+policy_api_key=${oc.env:NVIDIA_API_KEY}' or env.yaml).");
    rewriterOptions = { baseURL, apiKey, model };
  }

  const dataUrl = stringOption(command.option('workplace_assistant_data_url'), 'workplace_assistant_data_url');
  const data = await resolveWorkplaceDataDirectory({
    configuredDirectory: stringOption(command.option('workplace_assistant_data_dir'), 'workplace_assistant_data_dir') ?? null,
    searchRoots: [io.cwd],
    download: command.option('workplace_assistant_data_download') === true,
    ...(dataUrl ? { downloadBaseUrl: dataUrl } : {}),
    logger,
  });
  const environment = createWorkplaceEnvironment(await loadWorkplaceTables(data.directory));
  io.stderr(`workplace_assistant tables: ${data.directory} (${data.source})\n`);

  const started = performance.now();
  const { tasks, stats } = await generateTasks(environment, { numTasks, seed, noActionShare });
  const seconds = (performance.now() - started) / 1000;

  let paraphraseStats: ParaphraseStats = { enabled: false, rewritten: 0, paraphrase_rejected: 0, failed: 0 };
  let queries: string[] | undefined;
  if (rewriterOptions !== null) {
    io.stderr(`paraphrasing ${tasks.length} queries with ${rewriterOptions.model} at ${rewriterOptions.baseURL}\n`);
    const rewriter = openAIRewriter({ ...rewriterOptions, logger });
    const result = await paraphraseQueries(
      tasks.map((task) => task.candidate),
      rewriter,
      concurrency,
    );
    queries = result.queries;
    paraphraseStats = result.stats;
  }

  const report = buildReport({ seed, numTasks, noActionShare }, tasks, stats, paraphraseStats);
  const outputPath = resolvePath(io.cwd, output);
  const reportPath = await writeGeneratedTasks(outputPath, tasks, report, queries);
  io.stdout(command.redact(formatReport(report)));
  io.stdout(`generated ${tasks.length} tasks in ${seconds.toFixed(2)} s (${Math.round(tasks.length / Math.max(seconds, 1e-6))} tasks/s)\n`);
  io.stdout(`wrote ${outputPath}\nwrote ${reportPath}\n`);
  return 0;
}
