import type { JsonObject } from '../json_object';
import { randomUUID } from 'node:crypto';
import { planToolCall } from './tool_call_arguments';
import type { ToolAnswer } from './simple_agent_loop';
import type { TrajectoryRecorder } from './trajectory_recorder';

export interface OraclePeers {
  callTool(name: string, bodyText: string | null, signal?: AbortSignal): Promise<ToolAnswer>;
}

/**
 * The oracle agent: no model, no key. It runs the row's `ground_truth` calls through the resources server in
 * order and returns a Response object holding those calls, so verification compares the ground truth with
 * itself. Every well-formed row scores 1.0; a row that does not has a broken ground truth.
 */
export async function runOracleAgent(row: JsonObject, peers: OraclePeers, signal?: AbortSignal, recorder?: TrajectoryRecorder): Promise<JsonObject> {
  const params = (row.responses_create_params ?? {}) as JsonObject;
  const groundTruth = Array.isArray(row.ground_truth) ? (row.ground_truth as unknown[]) : [];
  const output: JsonObject[] = [];
  let index = 0;
  for (const call of groundTruth) {
    signal?.throwIfAborted();
    const name = typeof call === 'object' && call !== null && 'name' in call ? String((call as JsonObject).name) : '';
    const args = typeof call === 'object' && call !== null && 'arguments' in call ? (call as JsonObject).arguments : undefined;
    const callId = `call_oracle_${index}`;
    const functionCall = { arguments: args, call_id: callId, name, type: 'function_call', id: `fc_oracle_${index}`, status: 'completed' };
    output.push(functionCall);
    const started = recorder?.startToolCall();
    const plan = planToolCall(args);
    const answer = plan.kind === 'invalid' ? null : await peers.callTool(name, plan.bodyText, signal);
    const result = answer === null ? (plan as { output: string }).output : answer.output;
    if (started) recorder!.toolCallFinished(started, functionCall, { status: answer?.status ?? null, output: result, ...(plan.kind === 'invalid' ? { invalidArgumentsError: plan.errorType } : {}) });
    output.push({ call_id: callId, output: result, type: 'function_call_output', id: null, status: null });
    index += 1;
  }
  const summary = groundTruth.length === 0
    ? 'Oracle agent: the ground truth expects no changes, so no tool was called.'
    : `Oracle agent: replayed ${groundTruth.length} ground-truth call${groundTruth.length === 1 ? '' : 's'}.`;
  output.push({
    id: `msg_oracle_${randomUUID().replaceAll('-', '')}`,
    content: [{ annotations: [], text: summary, type: 'output_text', logprobs: [] }],
    role: 'assistant',
    status: 'completed',
    type: 'message',
  });
  const inputItems = Array.isArray(params.input) ? params.input : typeof params.input === 'string' ? [{ content: params.input, role: 'user', type: 'message' }] : [];
  recorder?.finish('completed', [...inputItems, ...output]);
  return {
    id: `resp_oracle_${randomUUID().replaceAll('-', '')}`,
    created_at: Math.floor(Date.now() / 1000),
    error: null,
    incomplete_details: null,
    instructions: params.instructions ?? null,
    metadata: {},
    model: 'oracle',
    object: 'response',
    output,
    parallel_tool_calls: params.parallel_tool_calls ?? true,
    temperature: params.temperature ?? null,
    tool_choice: params.tool_choice ?? 'auto',
    tools: params.tools ?? [],
    top_p: params.top_p ?? null,
    status: 'completed',
    usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
  };
}
