import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { readTaskFile } from '../../core/dataset/task_rows';
import { resolveWorkplaceDataDirectory } from '../../core/data/workplace_data_dir';
import { createWorkplaceEnvironment, loadWorkplaceTables, type FunctionCall } from '../../core/environments/workplace';
import { isPassingReward } from '../../core/reward';
import { stderrLogger, type CliIO } from '../cli_io';
import { INSTALL_ROOT, loadCommandConfig, stringOption } from '../command_config';

export const EXAMPLE_TASKS = join(INSTALL_ROOT, 'examples', 'workplace_assistant', 'tasks.jsonl');

/**
 * `ng_test`: checks that the workplace tables are found (or, on request, downloaded and checked) and that the
 * ground truth of every example row — or of `+input_jsonl_fpath` — verifies to 1.0 against itself.
 */
export async function runNgTest(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_test', argv, io, ['input_jsonl_fpath', 'workplace_assistant_data_dir', 'workplace_assistant_data_url', 'workplace_assistant_data_download', 'entrypoint', 'should_validate_data', 'verbose']);
  if (command.wantsHelp) {
    io.stdout('ng_test [+input_jsonl_fpath=tasks.jsonl] [+workplace_assistant_data_dir=DIR] [+workplace_assistant_data_download=true]: check the data and that each ground truth verifies to 1.0.\n');
    return 0;
  }
  const logger = stderrLogger(io, command.option('verbose') === true);
  const data = await resolveWorkplaceDataDirectory({
    configuredDirectory: stringOption(command.option('workplace_assistant_data_dir'), 'workplace_assistant_data_dir') ?? null,
    searchRoots: [io.cwd],
    download: command.option('workplace_assistant_data_download') === true,
    ...(stringOption(command.option('workplace_assistant_data_url'), 'workplace_assistant_data_url') ? { downloadBaseUrl: stringOption(command.option('workplace_assistant_data_url'), 'workplace_assistant_data_url')! } : {}),
    logger,
  });
  io.stdout(`✓ workplace_assistant tables: ${data.directory} (${data.source})\n`);
  const environment = createWorkplaceEnvironment(await loadWorkplaceTables(data.directory));
  io.stdout(`✓ ${environment.toolSchemas.length} tools\n`);

  const input = stringOption(command.option('input_jsonl_fpath'), 'input_jsonl_fpath');
  const file = input ? resolvePath(io.cwd, input) : EXAMPLE_TASKS;
  if (!existsSync(file)) {
    io.stdout(`✗ ${file} does not exist\n`);
    return 1;
  }
  let passed = 0;
  let failed = 0;
  for await (const line of readTaskFile(file)) {
    if (!line.parsed.ok) {
      failed += 1;
      io.stdout(`✗ ${line.parsed.error.message}\n`);
      continue;
    }
    const record = line.parsed.row.record as Record<string, unknown>;
    const groundTruth = record.ground_truth as FunctionCall[] | string | undefined;
    if (groundTruth === undefined) {
      failed += 1;
      io.stdout(`✗ line ${line.line}: no ground_truth\n`);
      continue;
    }
    const result = await environment.verify(typeof groundTruth === 'string' ? [] : groundTruth, groundTruth);
    if (isPassingReward(result.reward)) passed += 1;
    else {
      failed += 1;
      io.stdout(`✗ line ${line.line} (id ${String(record.id)}): the ground truth does not verify against itself: ${result.explanation.summary}\n`);
    }
  }
  io.stdout(`${failed === 0 ? '✓' : '✗'} ${passed} of ${passed + failed} rows of ${file} verify to 1.0\n`);
  return failed === 0 ? 0 : 1;
}
