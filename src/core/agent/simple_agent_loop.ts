import { planToolCall } from './tool_call_arguments';
import { addUsage, type Usage } from './usage';
import { isJsonObject, type JsonObject } from '../json_object';
import type { ModelCallAnswer, ModelCallFailure, TrajectoryRecorder } from './trajectory_recorder';

/** The resources server's answer to one tool call: its body (the tool output, whatever the status) and status. */
export interface ToolAnswer {
  output: string;
  status: number;
}

/** How the loop reaches the model and the tools; the server side keeps the cookies. */
export interface AgentPeers {
  /** POST model `/v1/responses`; returns the Response object or throws (see {@link modelCallFailureOf}). */
  callModel(params: JsonObject, signal?: AbortSignal): Promise<ModelCallAnswer>;
  /** POST resources `/{name}`. */
  callTool(name: string, bodyText: string | null, signal?: AbortSignal): Promise<ToolAnswer>;
}

export interface SimpleAgentLoopOptions {
  /** null: unlimited, as NeMo Gym's default (workplace_assistant uses 6). */
  maxSteps: number | null;
  signal?: AbortSignal;
  /** Records the rollout's trajectory, under this identity. */
  trajectory?: { recorder: TrajectoryRecorder; taskId: string; rolloutId: string };
}

/** Thrown when the model answers something that is not a Response object. */
export class InvalidModelResponseError extends Error {
  constructor(detail: string) {
    super(`Received an invalid response from model server: ${detail}`);
    this.name = 'InvalidModelResponseError';
  }
}

/** What a thrown model-call error tells about the call: errors may carry `peerStatus` and `upstreamAttempts`. */
export function modelCallFailureOf(error: unknown): ModelCallFailure {
  const details = (error ?? {}) as { peerStatus?: unknown; upstreamAttempts?: unknown };
  return {
    status: typeof details.peerStatus === 'number' ? details.peerStatus : null,
    error,
    upstreamAttempts: typeof details.upstreamAttempts === 'number' ? details.upstreamAttempts : null,
  };
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
  const trajectory = options.trajectory;
  const recorder = trajectory?.recorder;
  let usage: Usage | null = null;
  let step = 0;
  let lastResponse: JsonObject;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      step += 1;
      const modelInput = [...input, ...newOutputs];
      const body = { ...params, input: modelInput };
      const turnTimestamp = Date.now() / 1000;
      const call = recorder?.startModelCall(body);
      let answer: ModelCallAnswer;
      try {
        answer = await peers.callModel(body, options.signal);
      } catch (error) {
        if (call) recorder!.modelCallFailed(call, modelCallFailureOf(error));
        throw error;
      }
      const response = answer.response;
      if (!isJsonObject(response) || !Array.isArray(response.output)) {
        if (call) recorder!.modelCallFailed(call, { status: answer.status, error: null, upstreamAttempts: answer.upstreamAttempts });
        throw new InvalidModelResponseError(JSON.stringify(response).slice(0, 500));
      }
      lastResponse = response;
      usage = addUsage(usage, response.usage);
      const output = response.output as unknown[];
      newOutputs.push(...output);
      if (call) {
        recorder!.modelCallAnswered(call, answer);
        recorder!.addTurn(call, turnTimestamp, modelInput, output, trajectory!.taskId, trajectory!.rolloutId);
      }

      if (response.incomplete_details) {
        recorder?.finish('incomplete', conversation(input, newOutputs));
        break;
      }
      const calls = output.filter((item): item is JsonObject => isJsonObject(item) && item.type === 'function_call');
      const hasMessage = output.some((item) => isJsonObject(item) && item.type === 'message' && (item.role ?? 'assistant') === 'assistant');
      if (calls.length === 0 && hasMessage) {
        recorder?.finish('completed', conversation(input, newOutputs));
        break;
      }

      for (const functionCall of calls) {
        const started = recorder?.startToolCall();
        const plan = planToolCall(functionCall.arguments);
        const toolAnswer = plan.kind === 'invalid' ? null : await peers.callTool(String(functionCall.name), plan.bodyText, options.signal);
        const outputText = toolAnswer === null ? (plan as { output: string }).output : toolAnswer.output;
        // In NeMoGymFunctionCallOutput's field order, as NeMo Gym's rows have it.
        newOutputs.push({ call_id: functionCall.call_id, output: outputText, type: 'function_call_output' });
        if (started) {
          recorder!.toolCallFinished(started, functionCall, {
            status: toolAnswer?.status ?? null,
            output: outputText,
            ...(plan.kind === 'invalid' ? { invalidArgumentsError: plan.errorType } : {}),
          });
        }
      }
      if (options.maxSteps !== null && step >= options.maxSteps) {
        recorder?.finish('incomplete', conversation(input, newOutputs));
        // The model still wanted to go on. NeMo Gym reports only the incomplete invocation; the gap says why.
        recorder?.addGap('max_steps_reached', `max_steps=${options.maxSteps}`);
        break;
      }
    }
  } catch (error) {
    recorder?.finish('failed', conversation(input, newOutputs), error instanceof Error ? error.name : 'Error');
    throw error;
  }
  return { ...lastResponse, output: dumpedOutputs(newOutputs), usage: usage ?? lastResponse.usage ?? null };
}

/** What NeMo Gym's agent records as the invocation's conversation: the input, then every new item. */
function conversation(input: unknown[], newOutputs: unknown[]): unknown[] {
  return [...input.map(withMessageType), ...dumpedOutputs(newOutputs)];
}

/** An input message written without `type`, as NeMo Gym's models dump it. */
function withMessageType(item: unknown): unknown {
  return isJsonObject(item) && item.type === undefined && typeof item.role === 'string' ? { ...item, type: 'message' } : item;
}

// Upstream never sees `id`/`status` on our tool outputs (OpenAI rejects some nulls); the rollout shows them as
// pydantic dumps them.
function dumpedOutputs(newOutputs: unknown[]): unknown[] {
  return newOutputs.map((item) => (isJsonObject(item) && item.type === 'function_call_output' ? { ...item, id: null, status: null } : item));
}
