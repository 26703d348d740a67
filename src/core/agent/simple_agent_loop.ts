import { planToolCall } from './tool_call_arguments';
import { addUsage, type Usage } from './usage';
import { isJsonObject, type JsonObject } from '../json_object';

/** How the loop reaches the model and the tools; the server side keeps the cookies. */
export interface AgentPeers {
  /** POST model `/v1/responses`; returns the Response object or throws. */
  callModel(params: JsonObject, signal?: AbortSignal): Promise<JsonObject>;
  /** POST resources `/{name}`; returns the raw answer body whatever its status. */
  callTool(name: string, bodyText: string | null, signal?: AbortSignal): Promise<string>;
}

export interface SimpleAgentLoopOptions {
  /** null: unlimited, as NeMo Gym's default (workplace_assistant uses 6). */
  maxSteps: number | null;
  signal?: AbortSignal;
}

/** Thrown when the model answers something that is not a Response object. */
export class InvalidModelResponseError extends Error {
  constructor(detail: string) {
    super(`Received an invalid response from model server: ${detail}`);
    this.name = 'InvalidModelResponseError';
  }
}


/**
 * NeMo Gym's simple agent (NEMO_GYM_PROTOCOL.md §4.2): call the model with the input plus everything produced
 * so far; stop on `incomplete_details`, on an assistant message without function calls, or at `max_steps`;
 * otherwise run each function call in order and append its raw output. Returns the last model response with
 * `output` = all new items and `usage` summed over the calls.
 */
export async function runSimpleAgentLoop(params: JsonObject, peers: AgentPeers, options: SimpleAgentLoopOptions): Promise<JsonObject> {
  const input = typeof params.input === 'string' ? [{ role: 'user', content: params.input, type: 'message' }] : Array.isArray(params.input) ? params.input : [];
  const newOutputs: unknown[] = [];
  let usage: Usage | null = null;
  let step = 0;
  let lastResponse: JsonObject;
  for (;;) {
    options.signal?.throwIfAborted();
    step += 1;
    const response = await peers.callModel({ ...params, input: [...input, ...newOutputs] }, options.signal);
    if (!isJsonObject(response) || !Array.isArray(response.output)) {
      throw new InvalidModelResponseError(JSON.stringify(response).slice(0, 500));
    }
    lastResponse = response;
    usage = addUsage(usage, response.usage);
    const output = response.output as unknown[];
    newOutputs.push(...output);

    if (response.incomplete_details) break;
    const calls = output.filter((item): item is JsonObject => isJsonObject(item) && item.type === 'function_call');
    const hasMessage = output.some((item) => isJsonObject(item) && item.type === 'message' && (item.role ?? 'assistant') === 'assistant');
    if (calls.length === 0 && hasMessage) break;

    for (const call of calls) {
      const plan = planToolCall(call.arguments);
      const outputText = plan.kind === 'invalid' ? plan.output : await peers.callTool(String(call.name), plan.bodyText, options.signal);
      newOutputs.push({ type: 'function_call_output', call_id: call.call_id, output: outputText });
    }
    if (options.maxSteps !== null && step >= options.maxSteps) break;
  }
  // Upstream never sees `id`/`status` on our tool outputs (OpenAI rejects some nulls); the rollout shows them
  // as pydantic dumps them.
  const dumpedOutputs = newOutputs.map((item) => (isJsonObject(item) && item.type === 'function_call_output' ? { ...item, id: null, status: null } : item));
  return { ...lastResponse, output: dumpedOutputs, usage: usage ?? lastResponse.usage ?? null };
}
