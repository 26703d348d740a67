import { WORKPLACE_TOOL_SCHEMAS, type ToolSchema } from '../environments/workplace/tool_schemas';
import type { FunctionCall } from '../environments/workplace/verify';
import { dumpPythonDefault } from '../python/json_dump';
import { PyFloat, type PyDict, type PyValue } from '../python/value';
import type { TaskCategory } from './candidate';

/**
 * NeMo Gym's workplace_assistant system prompt (`dataset_preprocess.py`: `HARDCODED_CURRENT_TIME` is
 * 2023-11-30 23:59:00, a Thursday), as every row of `example.jsonl` carries it.
 */
export const SYSTEM_PROMPT =
  "Today's date is Thursday, 2023-11-30 and the current time is 23:59:00. Remember the current date and time when answering queries. Meetings must not start before 9am or end after 6pm.";

export const ENVIRONMENT_NAME = 'workplace_assistant';

export interface TaskRowFields {
  readonly id: number;
  readonly query: string;
  readonly calls: readonly FunctionCall[];
  readonly category: TaskCategory;
}

function pyValueOf(value: unknown): PyValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(pyValueOf);
  const dict: PyDict = new Map();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) dict.set(key, pyValueOf(item));
  return dict;
}

const TOOLS: PyValue = (WORKPLACE_TOOL_SCHEMAS as readonly ToolSchema[]).map(pyValueOf);

/**
 * One input row, exactly as NeMo Gym writes its own (`json.dumps(record)`: `", "` and `": "`, ASCII escapes,
 * `temperature` a float): `id`, `responses_create_params` (system prompt, the user query, the 27 tools,
 * `parallel_tool_calls: false`, `temperature: 1.0`), `ground_truth`, `category`, `environment_name`.
 */
export function taskRowText(fields: TaskRowFields): string {
  const row: PyDict = new Map<string, PyValue>([
    ['id', fields.id],
    [
      'responses_create_params',
      new Map<string, PyValue>([
        [
          'input',
          [
            new Map<string, PyValue>([
              ['role', 'system'],
              ['content', SYSTEM_PROMPT],
            ]),
            new Map<string, PyValue>([
              ['role', 'user'],
              ['content', fields.query],
            ]),
          ],
        ],
        ['tools', TOOLS],
        ['parallel_tool_calls', false],
        ['temperature', new PyFloat(1)],
      ]),
    ],
    [
      'ground_truth',
      fields.calls.map(
        (call) =>
          new Map<string, PyValue>([
            ['name', call.name],
            ['arguments', call.arguments],
          ]),
      ),
    ],
    ['category', `workplace_assistant_${fields.category}`],
    ['environment_name', ENVIRONMENT_NAME],
  ]);
  return dumpPythonDefault(row);
}
