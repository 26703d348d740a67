import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import type { CollectionOptions } from '../../../src/core/collect/api';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { startTestServers } from '../../support/embedded';
import { EXAMPLE_TASKS_PATH } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';

interface Line { _ng_task_index: number; _ng_rollout_index: number; _ng_failure_class?: string; input_line?: number }

const ORACLE = 'workplace_assistant_oracle_agent';

/** A collection never overwrites its own input, says why a setup write failed, and resumes runs with invalid rows truthfully. */
describe("a collection's own files", () => {
  let servers: RunningServers;
  beforeAll(async () => {
    servers = await startTestServers({ configs: ['configs/workplace_assistant.yaml'] });
  });
  afterAll(async () => servers?.stop());

  const collect = (options: CollectionOptions) => collectRollouts({ agentName: ORACLE, ...options }, { headServerUrl: servers.headServerUrl }, {}, silentLogger);
  const tasks = () => readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n').filter((line) => line.trim() !== '');

  it('an output that is the input, or whose sidecar is the input, is refused and the tasks are untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, tasks().join('\n') + '\n');
    const before = readFileSync(input, 'utf8');
    await expect(collect({ inputJsonlPath: input, outputJsonlPath: input })).rejects.toThrow(`The output ${input} is the input file: the run would overwrite its own tasks.`);
    // Another name of the same file.
    await expect(collect({ inputJsonlPath: join(dir, '.', 'tasks.jsonl'), outputJsonlPath: join(dir, 'sub', '..', 'tasks.jsonl') })).rejects.toThrow(/is the input file/);
    const sidecar = join(dir, 'r_materialized_inputs.jsonl');
    writeFileSync(sidecar, before);
    await expect(collect({ inputJsonlPath: sidecar, outputJsonlPath: join(dir, 'r.jsonl') })).rejects.toThrow(`The input file ${sidecar} is a file of the run itself`);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(readFileSync(sidecar, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'r.jsonl'))).toBe(false);
  });

  it('a folder or a missing file as the input is named, and no output folder is left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    mkdirSync(join(dir, 'adir'));
    await expect(collect({ inputJsonlPath: join(dir, 'adir'), outputJsonlPath: join(dir, 'o1', 'r.jsonl') })).rejects.toThrow(`The input ${join(dir, 'adir')} is a folder, not a JSONL file.`);
    await expect(collect({ inputJsonlPath: join(dir, 'nope.jsonl'), outputJsonlPath: join(dir, 'o2', 'r.jsonl') })).rejects.toThrow(`The input file ${join(dir, 'nope.jsonl')} does not exist.`);
    expect(existsSync(join(dir, 'o1'))).toBe(false);
    expect(existsSync(join(dir, 'o2'))).toBe(false);
  });

  it('a sidecar that cannot be written is named, with nothing collected and no torn copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    // A folder where the materialized inputs go: the write fails as a full disk would, with an errno.
    mkdirSync(join(dir, 'r_materialized_inputs.jsonl'));
    const attempt = collect({ inputJsonlPath: EXAMPLE_TASKS_PATH, outputJsonlPath: join(dir, 'r.jsonl') });
    await expect(attempt).rejects.toThrow(`Could not write ${join(dir, 'r_materialized_inputs.jsonl')}: EISDIR`);
    expect(existsSync(join(dir, 'r.jsonl'))).toBe(false);
  });

  it('a run with an invalid row resumes to the same truthful counts, and a changed input adds no failures of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    const rows = tasks();
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, [rows[0], rows[1], rows[2], '{"id": 99, "responses_create_params": {', rows[3], rows[4]].join('\n') + '\n');
    const output = join(dir, 'r.jsonl');
    const options: CollectionOptions = { inputJsonlPath: input, outputJsonlPath: output, skipInvalidRows: true };
    const first = await collect(options);
    expect({ total: first.total, done: first.done, failed: first.failed, notAttempted: first.notAttempted }).toEqual({ total: 6, done: 5, failed: 1, notAttempted: 0 });
    const expectedMean = first.meanRewardOverAttempted;

    const resumed = await collect({ ...options, resumeFromCache: true });
    expect({ total: resumed.total, done: resumed.done, failed: resumed.failed, resumed: resumed.resumed, notAttempted: resumed.notAttempted }).toEqual({ total: 6, done: 5, failed: 1, resumed: 6, notAttempted: 0 });
    expect(resumed.meanRewardOverAttempted).toBe(expectedMean);

    // Resuming with another input: the earlier run's rows are resumed; the new file's invalid row is not part of it.
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, [rows[0], '{"broken', rows[1]].join('\n') + '\n');
    const changed = await collect({ ...options, inputJsonlPath: other, resumeFromCache: true });
    expect({ total: changed.total, done: changed.done, failed: changed.failed, notAttempted: changed.notAttempted }).toEqual({ total: 6, done: 5, failed: 1, notAttempted: 0 });
    const failures = readJsonl<Line>(join(dir, 'r_failures.jsonl'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ _ng_failure_class: 'invalid_row', input_line: 4 });
  });

  it('a row the verifier refuses (no ground_truth: HTTP 422) fails once, for good, without retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    const rows = tasks();
    const withoutTruth = JSON.parse(rows[1]!) as Record<string, unknown>;
    delete withoutTruth.ground_truth;
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, [rows[0], JSON.stringify(withoutTruth), rows[2]].join('\n') + '\n');
    const summary = await collect({ inputJsonlPath: input, outputJsonlPath: join(dir, 'r.jsonl'), maxAttempts: 3 });
    expect({ done: summary.done, failed: summary.failed, retries: summary.retries }).toEqual({ done: 2, failed: 1, retries: 0 });
    const [failure] = readJsonl<Line & { _ng_failure_terminal: boolean; _ng_failure_message: string }>(join(dir, 'r_failures.jsonl'));
    expect(failure).toMatchObject({ _ng_task_index: 1, _ng_failure_class: 'verify_error', _ng_failure_terminal: true });
    expect(failure!._ng_failure_message).toContain('ground_truth');
  });

  it('a row naming an agent that is not running: the error says which task of which file names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    const rows = tasks();
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, [rows[0], JSON.stringify({ ...JSON.parse(rows[1]!), agent_ref: { name: 'nonexistent_agent' } })].join('\n') + '\n');
    await expect(collect({ inputJsonlPath: input, outputJsonlPath: join(dir, 'r.jsonl') })).rejects.toThrow(`No agent named nonexistent_agent is running. Running agents: ${ORACLE}. Task 1 of ${input} names it`);
  });

  it("num_repeats per agent (NeMo Gym's dict form): the agent's count, else _default, else NeMo Gym's error", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-own-'));
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, tasks().slice(0, 2).join('\n') + '\n');
    const notices: string[] = [];
    const run = (numRepeats: CollectionOptions['numRepeats'], name: string) =>
      collectRollouts({ agentName: ORACLE, inputJsonlPath: input, outputJsonlPath: join(dir, `${name}.jsonl`), numRepeats }, { headServerUrl: servers.headServerUrl }, { onNotice: (message) => notices.push(message) }, silentLogger);
    expect((await run({ [ORACLE]: 3, other_agent: 1 }, 'own')).done).toBe(6);
    expect(readJsonl<Line>(join(dir, 'own.jsonl')).map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`).sort()).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
    expect(notices).toContain("num_repeats dict contains agent names that never appeared in input rows (possible typo?): ['other_agent']");
    expect((await run({ _default: 2 }, 'fallback')).done).toBe(4);
    await expect(run({ other_agent: 2 }, 'missing')).rejects.toThrow(`num_repeats dict has no entry for agents ['${ORACLE}'] and no '_default' fallback. Listed agents: ['other_agent']`);
  });
});
