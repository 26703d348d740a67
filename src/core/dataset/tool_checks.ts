/**
 * Function-tool shapes that make a strict Responses endpoint (NeMo Gym's `extra="forbid"` schema, OpenAI)
 * answer 422, and how to repair them (NEMO_GYM_PROTOCOL.md §2.4): a function tool must be exactly
 * `{type, name, parameters, strict[, description]}`. The repair itself is schema/tool_schema_repair.ts.
 */
import { isJsonObject, type JsonObject } from '../json_object';
import { STANDARD_FUNCTION_TOOL_KEYS } from '../schema/tool_schema_repair';

export { STANDARD_FUNCTION_TOOL_KEYS };

export type ToolProblem =
  /** `{type:"function", function:{...}}`, the Chat Completions shape. */
  | { kind: 'chat-shaped'; toolIndex: number; name: string | null }
  | { kind: 'nonstandard-key'; toolIndex: number; name: string | null; key: string }
  | { kind: 'missing-key'; toolIndex: number; name: string | null; key: 'parameters' | 'strict' };

function isChatShaped(tool: JsonObject): tool is JsonObject & { function: JsonObject } {
  return tool.type === 'function' && isJsonObject(tool.function) && tool.name === undefined;
}

function toolName(tool: JsonObject): string | null {
  if (typeof tool.name === 'string') return tool.name;
  if (isChatShaped(tool) && typeof tool.function.name === 'string') return tool.function.name;
  return null;
}

/** Problems of the function tools in a `tools` list; tools of other types are left to the schema. */
export function inspectTools(tools: unknown): ToolProblem[] {
  if (!Array.isArray(tools)) return [];
  const problems: ToolProblem[] = [];
  tools.forEach((tool, toolIndex) => {
    if (!isJsonObject(tool) || tool.type !== 'function') return;
    const name = toolName(tool);
    if (isChatShaped(tool)) {
      problems.push({ kind: 'chat-shaped', toolIndex, name });
      return;
    }
    for (const key of Object.keys(tool)) {
      if (!STANDARD_FUNCTION_TOOL_KEYS.includes(key)) problems.push({ kind: 'nonstandard-key', toolIndex, name, key });
    }
    for (const key of ['parameters', 'strict'] as const) {
      if (!(key in tool)) problems.push({ kind: 'missing-key', toolIndex, name, key });
    }
  });
  return problems;
}

/** Names of the function tools a row declares (flat or Chat-shaped). */
export function declaredToolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  const names: string[] = [];
  for (const tool of tools) {
    if (!isJsonObject(tool)) continue;
    const name = toolName(tool);
    if (name !== null) names.push(name);
  }
  return names;
}
