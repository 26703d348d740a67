import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import type { CollectionOptions } from '../../../src/core/collect/api';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { RolloutRecord } from '../../../src/core/schema/rollout_record';
import { TrajectoryRecord, type TrajectoryModelCall } from '../../../src/core/schema/trajectory_record';
import { startTestServers } from '../../support/embedded';
import {
  EXAMPLE_ROLLOUTS_PATH,
  EXAMPLE_ROLLOUTS_TASKS_PATH,
  replayRecordedRollouts,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeScript,
} from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';

type Row = RolloutRecord & { ng_trajectory: TrajectoryRecord };
type Usage = { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_details?: { cached_tokens?: number }; output_tokens_details?: { reasoning_tokens?: number } };

const KEY = 'sk-trajectory-test-key-0123456789';
const AGENT = 'workplace_assistant_simple_agent';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setUp(script: FakeScript, extra: string[] = []): Promise<{ fake: FakeOpenAIServer; servers: RunningServers }> {
  const fake = await startFakeOpenAIServer({ script, apiKey: KEY });
  cleanups.push(() => fake.close());
  const servers = await startTestServers({
    configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
    policyBaseUrl: fake.url,
    policyApiKey: KEY,
    policyModelName: 'gpt-4.1-2025-04-14',
    extra,
  });
  cleanups.push(() => servers.stop());
  return { fake, servers };
}

async function collect(servers: RunningServers, options: Partial<CollectionOptions> = {}): Promise<{ rows: Row[]; text: string; failuresPath: string }> {
  const output = join(mkdtempSync(join(tmpdir(), 'gym-trajectory-')), 'rollouts.jsonl');
  const summary = await collectRollouts(
    { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: output, agentName: AGENT, numSamplesInParallel: 5, ...options },
    { headServerUrl: servers.headServerUrl },
    {},
    silentLogger,
  );
  const rows = readJsonl<Row>(output).sort((a, b) => a._ng_task_index - b._ng_task_index);
  return { rows, text: readFileSync(output, 'utf8'), failuresPath: summary.failuresPath };
}

/** Every row is a RolloutRecord whose ng_trajectory passes the strict schema. */
function expectValid(rows: Row[]): void {
  for (const row of rows) {
    expect(RolloutRecord.safeParse(row).error?.issues).toBeUndefined();
    expect(TrajectoryRecord.safeParse(row.ng_trajectory).error?.issues).toBeUndefined();
  }
}

const sum = (calls: TrajectoryModelCall[], field: 'prompt_tokens' | 'completion_tokens' | 'total_tokens' | 'cached_tokens' | 'reasoning_tokens') =>
  calls.reduce((total, call) => total + (call.token_stats?.[field] ?? 0), 0);

/** An agent that always wants one more tool (a model that never finishes). */
const neverFinishes: FakeScript = (request) => ({
  items: [{ type: 'function_call', name: 'company_directory_find_email_address', arguments: '{"name":"ali"}', callId: `call_more_${request.toolOutputCount}` }],
});

describe('ng_trajectory on every row', () => {
  it('records turns, model calls, tool calls and measured timings; token sums equal the usage totals', async () => {
    const { servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH));
    const { rows } = await collect(servers);
    expect(rows).toHaveLength(5);
    expectValid(rows);
    for (const row of rows) {
      const trajectory = row.ng_trajectory;
      const invocation = trajectory.invocations![0]!;
      const calls = trajectory.model_calls!;
      expect(trajectory.task_id).toBe(String(row._ng_task_index));
      expect(trajectory.rollout_id).toBe(`${row._ng_task_index}-${row._ng_rollout_index}`);
      expect(invocation).toMatchObject({ invocation_id: 'root', status: 'completed' });
      // The conversation is the input, then everything the rollout produced.
      expect(invocation.conversation).toEqual([...(row.responses_create_params.input as unknown[]), ...row.response.output]);

      // One turn per model call, in order, each pointing at its call.
      expect(trajectory.turns!.map((turn) => turn.turn_no)).toEqual(calls.map((_, i) => i + 1));
      expect(trajectory.turns!.map((turn) => turn.model_calls![0]!.model_call_id)).toEqual(calls.map((call) => call.model_call_id));
      expect(invocation.model_calls!.map((ref) => ref.model_call_id)).toEqual(calls.map((call) => call.model_call_id));

      // Tokens: per call from its usage; the sums are the rollout's usage totals.
      const usage = row.response.usage as Usage;
      expect(sum(calls, 'prompt_tokens')).toBe(usage.input_tokens);
      expect(sum(calls, 'completion_tokens')).toBe(usage.output_tokens);
      expect(sum(calls, 'total_tokens')).toBe(usage.total_tokens);
      expect(sum(calls, 'cached_tokens')).toBe(usage.input_tokens_details?.cached_tokens);
      expect(sum(calls, 'reasoning_tokens')).toBe(usage.output_tokens_details?.reasoning_tokens);

      // Timings are measured: positive, ordered, and inside the rollout's span.
      const spanStart = calls[0]!.started_at!;
      let end = spanStart;
      for (const call of calls) {
        expect(call.duration_ms).toBeGreaterThan(0);
        expect(call.started_at!).toBeGreaterThanOrEqual(end - 0.002);
        expect(call.completed_at!).toBeGreaterThanOrEqual(call.started_at!);
        end = call.completed_at!;
        expect(call.response_metadata).toMatchObject({ status_code: 200, dialect: 'responses', model_ref: { type: 'responses_api_models', name: 'policy_model' }, error_category: null, response_status: 'completed' });
      }
      const callTime = calls.reduce((total, call) => total + call.duration_ms!, 0);
      const toolTime = trajectory.tool_calls!.reduce((total, call) => total + call.duration_ms!, 0);
      expect(callTime + toolTime).toBeLessThanOrEqual(invocation.duration_ms!);

      // Each tool call: its name, output (as the model saw it), status and interval.
      const outputs = row.response.output.filter((item): item is { type: string; call_id: string; output: string } => (item as { type: string }).type === 'function_call_output');
      expect(trajectory.tool_calls!.map((call) => [call.tool_call_id, call.output])).toEqual(outputs.map((item) => [item.call_id, item.output]));
      for (const call of trajectory.tool_calls!) {
        expect(call).toMatchObject({ invocation_id: 'root', status: 'completed', error_type: null, timing_source: 'executor' });
        expect(call.duration_ms).toBeGreaterThan(0);
      }
      // Compact by default: no payloads; the workplace verifier gives no `resolved`, as NeMo Gym's gap says.
      expect(calls.every((call) => call.request === null && call.response === null)).toBe(true);
      expect(trajectory.turns!.every((turn) => turn.question === null)).toBe(true);
      expect(trajectory.gaps).toEqual([{ code: 'resolution_unavailable', invocation_id: 'root', detail: null }]);
    }
  });

  it('a rollout cut off at max_steps is incomplete, with the gap that says why', async () => {
    const { servers } = await setUp(neverFinishes);
    const { rows } = await collect(servers, { limit: 1 });
    expectValid(rows);
    const trajectory = rows[0]!.ng_trajectory;
    expect(trajectory.invocations![0]!.status).toBe('incomplete');
    expect(trajectory.gaps).toContainEqual({ code: 'max_steps_reached', invocation_id: 'root', detail: 'max_steps=6' });
    expect(trajectory.turns).toHaveLength(6);
    expect(trajectory.tool_calls).toHaveLength(6);
    expect(trajectory.turns!.at(-1)!.step_count).toBe(6);
  });

  it('tool calls that errored: unparseable arguments and a refused body are failed, with their error type', async () => {
    const calls = [
      { name: 'company_directory_find_email_address', arguments: '{"name": ' },
      { name: 'company_directory_find_email_address', arguments: '[1, 2]' },
      { name: 'company_directory_find_email_address', arguments: '{"name":"ali"}' },
    ];
    const { servers } = await setUp((request) => {
      const next = calls[request.toolOutputCount];
      return { items: next ? [{ type: 'function_call', name: next.name, arguments: next.arguments, callId: `call_${request.toolOutputCount}` }] : [{ type: 'message', text: 'done' }] };
    });
    const { rows } = await collect(servers, { limit: 1 });
    expectValid(rows);
    const tools = rows[0]!.ng_trajectory.tool_calls!;
    expect(tools.map((call) => [call.status, call.error_type])).toEqual([['failed', 'JSONDecodeError'], ['failed', 'http_422'], ['completed', null]]);
    expect(tools[0]!.output).toContain('Invalid tool call arguments: JSONDecodeError(');
    expect(rows[0]!.ng_trajectory.invocations![0]!.status).toBe('completed');
  });

  it('a model call the SDK retried says how many attempts it took', async () => {
    const { fake, servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), ['++policy_model.responses_api_models.openai_model.max_retries=3']);
    fake.setFaults({ byRequestIndex: { 0: { kind: 'server_error', retryAfterSeconds: 0.01 }, 1: { kind: 'rate_limit', retryAfterSeconds: 0.01 } } });
    const { rows } = await collect(servers, { limit: 1 });
    expectValid(rows);
    const trajectory = rows[0]!.ng_trajectory;
    const first = trajectory.model_calls![0]!;
    expect(trajectory.gaps).toContainEqual({ code: 'model_call_retried', invocation_id: 'root', detail: `${first.model_call_id}:attempts=3` });
    expect(trajectory.gaps!.filter((gap) => gap.code === 'model_call_retried')).toHaveLength(1);
    expect(first.response_metadata!.status_code).toBe(200);
  });

  it('a rollout the collector retried carries _ng_attempt_index, and its trajectory the attempt in its id', async () => {
    const { fake, servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), ['++policy_model.responses_api_models.openai_model.max_retries=0']);
    fake.setFaults({ byRequestIndex: { 0: { kind: 'server_error' } } });
    const { rows, text } = await collect(servers, { limit: 1, maxAttempts: 2 });
    expectValid(rows);
    expect(rows[0]!._ng_attempt_index).toBe(1);
    expect(rows[0]!.ng_trajectory.rollout_id).toBe('0-0-a1');
    // Stamped after the indices and agent_ref, as NeMo Gym's collector does.
    expect(text).toMatch(/"_ng_task_index":0,"_ng_rollout_index":0,"agent_ref":\{"name":"workplace_assistant_simple_agent"\},"_ng_attempt_index":1\}\n$/);
  });

  it('an explicit _ng_rollout_id is kept on the row and names the trajectory', async () => {
    const { servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH));
    const dir = mkdtempSync(join(tmpdir(), 'gym-rollout-id-'));
    const input = join(dir, 'tasks.jsonl');
    const first = JSON.parse(readFileSync(EXAMPLE_ROLLOUTS_TASKS_PATH, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    writeFileSync(input, JSON.stringify({ ...first, _ng_rollout_id: 'step7.0-0' }) + '\n');
    const { rows } = await collect(servers, { inputJsonlPath: input });
    expectValid(rows);
    expect(rows[0]!._ng_rollout_id).toBe('step7.0-0');
    expect(rows[0]!.ng_trajectory.rollout_id).toBe('step7.0-0');
  });

  it('observability_enabled captures the full request and response of every model call', async () => {
    const { servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), ['+observability_enabled=true']);
    const { rows } = await collect(servers, { limit: 2 });
    expectValid(rows);
    for (const row of rows) {
      const trajectory = row.ng_trajectory;
      const calls = trajectory.model_calls!;
      expect(calls.length).toBeGreaterThan(0);
      for (const [i, call] of calls.entries()) {
        const request = call.request as { input: unknown[]; tools: unknown[] };
        const response = call.response as { id: string; output: unknown[] };
        expect(request.input).toEqual(trajectory.turns![i]!.question);
        expect(request.tools.length).toBeGreaterThan(0);
        expect(response.id).toBe(call.response_metadata!.response_id);
        expect(trajectory.turns![i]!.answer).toEqual(response.output.filter((item) => (item as { type: string }).type !== 'reasoning'));
      }
    }
  });
});

describe('floats written as Python writes them', () => {
  it('the fields NeMo Gym holds as floats have the bytes of its recorded rows', async () => {
    const { servers } = await setUp(replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH));
    const { text } = await collect(servers);
    const recorded = readFileSync(EXAMPLE_ROLLOUTS_PATH, 'utf8');
    // NeMo Gym's data file was written with json.dumps (`": "`), our rows as orjson writes them (`":"`).
    // (`reward` right after `response`: reward_explanation, ours, has a `reward` of its own.)
    const values = (source: string, field: string) => [...source.matchAll(new RegExp(`${field === 'reward' ? '\\}, ?' : ''}"${field}": ?(-?[0-9][0-9.eE+-]*)`, 'g'))].map((match) => match[1]).sort();
    for (const field of ['temperature', 'top_p', 'created_at', 'reward']) {
      expect(values(text, field), field).toEqual(values(recorded, field));
      expect(values(text, field).every((value) => value!.includes('.')), field).toBe(true);
    }
    expect(text).toContain('"temperature":1.0,');
    expect(text).toContain('"created_at":1758499694.0,');
    expect(text).toContain('"reward":0.0,');
  });
});
