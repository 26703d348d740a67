import { readFileSync } from 'node:fs';
import { contentText } from './conversation.js';

/** NeMo Gym rollout lines (`example_rollouts.jsonl`) split into the model turns they record. */

type JsonObject = Record<string, unknown>;

export interface RecordedTurn {
  /** The model's output items of this turn, exactly as recorded (function calls, messages, reasoning). */
  modelItems: JsonObject[];
  /** The agent's `function_call_output` items that followed this turn. */
  toolOutputs: JsonObject[];
}

export interface RecordedRollout {
  /** 0-based line number. */
  line: number;
  userText: string;
  responsesCreateParams: JsonObject;
  /** The final response object (its envelope is the last model call's). */
  response: JsonObject;
  reward: number;
  turns: RecordedTurn[];
}

function splitTurns(output: JsonObject[]): RecordedTurn[] {
  const turns: RecordedTurn[] = [];
  let current: RecordedTurn | undefined;
  for (const item of output) {
    if (item.type === 'function_call_output') {
      if (!current) throw new Error('A function_call_output precedes any model output');
      current.toolOutputs.push(item);
      continue;
    }
    // A model item after tool outputs starts the next turn.
    if (!current || current.toolOutputs.length > 0) {
      current = { modelItems: [], toolOutputs: [] };
      turns.push(current);
    }
    current.modelItems.push(item);
  }
  return turns;
}

export function parseRecordedRollouts(jsonl: string): RecordedRollout[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((text, line) => {
      const row = JSON.parse(text) as { responses_create_params: JsonObject; response: JsonObject; reward: number };
      const input = row.responses_create_params.input;
      const user = Array.isArray(input) ? (input as JsonObject[]).find((item) => item.role === 'user') : undefined;
      const userText = typeof input === 'string' ? input : contentText(user?.content);
      return {
        line,
        userText,
        responsesCreateParams: row.responses_create_params,
        response: row.response,
        reward: row.reward,
        turns: splitTurns(row.response.output as JsonObject[]),
      };
    });
}

export function loadRecordedRollouts(path: string): RecordedRollout[] {
  return parseRecordedRollouts(readFileSync(path, 'utf8'));
}
