import { dumpCompact, dumpPythonDefault } from '../python/json_dump';
import { parsePythonJson, reprException } from '../python/json_parse';
import { PyException, pyDict } from '../python/value';

/** What the agent sends for one function call: a request body, or (for unparseable arguments) no request. */
export type ToolCallPlan =
  | { kind: 'request'; /** null: no body at all (the arguments were JSON `null`). */ bodyText: string | null }
  | { kind: 'invalid'; output: string; /** Python's exception type (`JSONDecodeError`, `TypeError`). */ errorType: string };

/**
 * NeMo Gym's agent runs Python `json.loads(arguments)`; on failure it makes no request and the tool output is
 * `json.dumps({"error": f"Invalid tool call arguments: {e!r}"})` (WORKPLACE_TOOLS.md §1.3). Otherwise it posts
 * the parsed value, re-serialised compactly (orjson), so ints and floats stay what the model wrote.
 */
export function planToolCall(argumentsText: unknown): ToolCallPlan {
  if (typeof argumentsText !== 'string') {
    const type = argumentsText === null || argumentsText === undefined ? 'NoneType' : typeof argumentsText === 'object' ? 'dict' : typeof argumentsText;
    const error = new PyException('TypeError', `the JSON object must be str, bytes or bytearray, not ${type}`);
    return { kind: 'invalid', output: invalidArgumentsOutput(error), errorType: error.type };
  }
  try {
    const value = parsePythonJson(argumentsText);
    return { kind: 'request', bodyText: value === null ? null : dumpCompact(value) };
  } catch (error) {
    if (error instanceof PyException) return { kind: 'invalid', output: invalidArgumentsOutput(error), errorType: error.type };
    throw error;
  }
}

function invalidArgumentsOutput(error: PyException): string {
  return dumpPythonDefault(pyDict([['error', `Invalid tool call arguments: ${reprException(error)}`]]));
}
