import type { ResponseObject, ResponsesCreateParams } from '../schema/responses.js';
import { ModelError, type Model, type ModelCallOptions } from './model.js';
import { buildResponseObject, newId, type ModelTurn, type TurnItem, type TurnStopReason } from './response_builder.js';

/**
 * A scripted fake {@link Model} for unit tests of the agent loop: answers from a queue of turns or from a
 * function of the request. Records every call.
 */

/** A turn described briefly: output order is reasoning → message → tool calls, as the converters produce. */
export interface ScriptedTurn {
  reasoning?: string | string[];
  text?: string;
  toolCalls?: { name: string; arguments: string | Record<string, unknown>; callId?: string }[];
  /** Makes the response `incomplete` with this reason. */
  incomplete?: Exclude<TurnStopReason, 'completed'>;
  /** Exact output items instead of the fields above (e.g. only a reasoning item, or nothing at all). */
  items?: TurnItem[];
  usage?: ModelTurn['usage'];
}

/** What a script step may be: a brief turn, a full response object, or an error to throw. */
export type ScriptedStep = ScriptedTurn | ResponseObject | Error;

export type ScriptFunction = (params: ResponsesCreateParams, callIndex: number) => ScriptedStep | Promise<ScriptedStep>;

export interface ScriptedModelCall {
  params: ResponsesCreateParams;
  signal?: AbortSignal;
}

export interface ScriptedModel extends Model {
  readonly calls: readonly ScriptedModelCall[];
  /** Steps not yet used (queue scripts only; Infinity for function scripts). */
  remaining(): number;
}

function isResponseObject(step: ScriptedStep): step is ResponseObject {
  return (step as ResponseObject).object === 'response';
}

/** The items of a brief turn. */
export function scriptedTurnItems(turn: ScriptedTurn): TurnItem[] {
  if (turn.items) return turn.items;
  const items: TurnItem[] = [];
  if (turn.reasoning !== undefined) {
    items.push({ type: 'reasoning', summary: Array.isArray(turn.reasoning) ? turn.reasoning : [turn.reasoning] });
  }
  if (turn.text !== undefined) items.push({ type: 'message', text: turn.text });
  for (const call of turn.toolCalls ?? []) {
    items.push({
      type: 'function_call',
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      callId: call.callId ?? newId('call'),
    });
  }
  return items;
}

export function createScriptedModel(script: readonly ScriptedStep[] | ScriptFunction, options: { model?: string } = {}): ScriptedModel {
  const calls: ScriptedModelCall[] = [];
  const queue = typeof script === 'function' ? undefined : [...script];
  const model = options.model ?? 'scripted-model';
  return {
    calls,
    remaining: () => (queue ? queue.length : Infinity),
    async respond(params: ResponsesCreateParams, callOptions: ModelCallOptions = {}): Promise<ResponseObject> {
      const callIndex = calls.length;
      calls.push({ params, signal: callOptions.signal });
      if (callOptions.signal?.aborted) throw new ModelError({ kind: 'cancelled', message: 'The scripted model call was cancelled.' });
      let step: ScriptedStep | undefined;
      if (queue) {
        step = queue.shift();
        if (step === undefined) throw new Error(`ScriptedModel: no scripted response left for call #${callIndex}`);
      } else {
        step = await (script as ScriptFunction)(params, callIndex);
      }
      if (step instanceof Error) throw step;
      if (isResponseObject(step)) return step;
      return buildResponseObject({
        params,
        model,
        turn: { items: scriptedTurnItems(step), stopReason: step.incomplete ?? 'completed', usage: step.usage ?? null },
      });
    },
  };
}
