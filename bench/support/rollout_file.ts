/**
 * The viewer benchmarks' rollout file: realistic rollouts (all five categories, passing and failing, reasoning,
 * verifier explanations and an `ng_trajectory`), ~44 KB a line.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeRollout, makeTask, Random, serialize, type Outcome } from '../../test/support/rollout_fixtures';

export const BENCH_REPEATS = 5;
const LINE_BYTES = 40_000;
const POOL = 400;

/**
 * Distinct realistic lines (all five categories, passing and failing, with reasoning and verifier explanations),
 * reused with each rollout's own task and rollout index spliced in.
 */
function linePool(): string[] {
  const rng = new Random(2024);
  const outcomes: Outcome[] = ['pass', 'pass', 'pass', 'wrong-arguments', 'missing-call', 'extra-call', 'tool-error'];
  return Array.from({ length: POOL }, (_, k) => {
    const task = makeTask(k, rng, { bodySentences: 5 });
    const record = makeRollout({ task, rng, outcome: outcomes[k % outcomes.length] as Outcome, datasetFields: true, reasoning: k % 2 === 0, agentName: 'workplace_assistant_simple_agent', targetBytes: LINE_BYTES - 200 + rng.int(400), format: 'compact' });
    return withTrajectory(serialize(record, 'compact'), k);
  });
}

/**
 * The line with an `ng_trajectory` as the collector writes it (compact: no payloads): a model call per run of output
 * items, a tool call per function call, timed one after the other; some retried, some stopped at max_steps.
 */
function withTrajectory(line: string, k: number): string {
  const row = JSON.parse(line) as { response?: { output?: { type?: string; call_id?: string; name?: string }[] } };
  const modelCalls: unknown[] = [];
  const toolCalls: unknown[] = [];
  const turns: unknown[] = [];
  const gaps: unknown[] = [{ code: 'resolution_unavailable', invocation_id: 'root', detail: null }];
  let t = 1_760_000_000 + k;
  let inRun = false;
  for (const item of row.response?.output ?? []) {
    if (item.type === 'function_call_output') {
      inRun = false;
      continue;
    }
    if (!inRun) {
      inRun = true;
      const turn = turns.length + 1;
      const id = `m${k}x${turn}`;
      const ms = 400 + ((k * 31 + turn * 17) % 900);
      modelCalls.push({ model_call_id: id, started_at: t, completed_at: t + ms / 1000, duration_ms: ms, request: null, response: null, response_metadata: { response_id: `resp_${id}`, model_ref: null, model: 'gpt-oss-120b', dialect: 'responses', status_code: 200, response_status: 'completed', finish_reason: null, error_category: null, latency_ttft_ms: null }, token_stats: { prompt_tokens: 1400 * turn, completion_tokens: 80, reasoning_tokens: 30, total_tokens: 1400 * turn + 80, cached_tokens: null } });
      turns.push({ invocation_id: 'root', task_id: String(k), rollout_id: `${k}-0`, turn_no: turn, timestamp: t, question: null, answer: null, reasoning_content: null, resolved: null, step_count: toolCalls.length, model_calls: [{ model_call_id: id, model_ref: null, response_id: `resp_${id}` }] });
      if (k % 5 === 0 && turn === 1) gaps.push({ code: 'model_call_retried', invocation_id: 'root', detail: `${id}:attempts=2` });
      t += ms / 1000;
    }
    if (item.type === 'function_call') {
      toolCalls.push({ kind: 'tool_call', invocation_id: 'root', tool_call_id: item.call_id ?? '', sandbox_id: null, tool_name: item.name ?? null, started_at: t, completed_at: t + 0.012, duration_ms: 12, timing_source: 'executor', status: 'completed', error_type: null, output: null });
      t += 0.012;
    }
  }
  if (k % 7 === 3) gaps.push({ code: 'max_steps_reached', invocation_id: 'root', detail: 'max_steps=6' });
  const trajectory = { schema_version: '1.0', task_id: String(k), rollout_id: `${k}-0`, invocations: [{ kind: 'agent_invocation', invocation_id: 'root', status: 'completed', duration_ms: (t - 1_760_000_000 - k) * 1000 }], turns, model_calls: modelCalls, tool_calls: toolCalls, gaps };
  return `${line.slice(0, -1)},"ng_trajectory":${JSON.stringify(trajectory)}}`;
}

/** Writes `rollouts` lines (about 44 KB each: 25,000 make ~1.1 GB), task after task, BENCH_REPEATS repeats of each. */
export function writeBenchRolloutFile(path: string, rollouts: number): { bytes: number; lines: number } {
  const pool = linePool();
  const fd = openSync(path, 'w');
  let bytes = 0;
  let batch: string[] = [];
  const flush = () => {
    const text = batch.join('');
    bytes += Buffer.byteLength(text);
    writeSync(fd, text);
    batch = [];
  };
  for (let i = 0; i < rollouts; i++) {
    const line = pool[(i * 7919) % POOL] as string;
    const task = Math.floor(i / BENCH_REPEATS);
    batch.push(`${line.slice(0, -1)},"_ng_task_index":${task},"_ng_rollout_index":${i % BENCH_REPEATS}}\n`);
    if (batch.length === 500) flush();
  }
  flush();
  closeSync(fd);
  return { bytes, lines: rollouts };
}
