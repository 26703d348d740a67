/**
 * The one repair of function-tool dicts, used by the model server (`sanitize_tool_schemas`), the collector
 * (`+sanitize_tool_schemas`), Validate Dataset's Quick Fix and "Write Sanitized Copy": a strict Responses schema
 * (NeMo Gym's `extra="forbid"`, OpenAI) takes exactly `type, name, description, parameters, strict`
 * (NEMO_GYM_PROTOCOL.md §2.4). Chat-Completions-shaped tools (`{type, function:{...}}`) are flattened, other keys
 * removed, a missing `type` set to `function`, a missing `parameters` given an empty object schema (accepted by
 * every endpoint, unlike `null`) and a missing `strict` set to false (the Chat Completions behaviour). Hosted
 * tools (other types) are left alone. Never mutates its input.
 */
import { isJsonObject, type JsonObject } from '../json_object';

export const STANDARD_FUNCTION_TOOL_KEYS: readonly string[] = ['type', 'name', 'description', 'parameters', 'strict'];
const EMPTY_PARAMETERS = { type: 'object', properties: {} };

export interface ToolSchemaRepair {
  index: number;
  name?: string;
  /** Keys removed (for a reshaped tool, from both the outer dict and its `function`). */
  removedKeys: string[];
  reshapedFromChatCompletions: boolean;
  /** Required keys that were missing and got a value (`type: function`, `parameters: null`, `strict: false`). */
  addedKeys: string[];
}

export interface SanitizeToolSchemasResult<T> {
  params: T;
  repairs: ToolSchemaRepair[];
  /** One line for the user, when anything changed. */
  notice?: string;
}

function repairTool(tool: unknown, index: number): { tool: unknown; repair?: ToolSchemaRepair } {
  if (!isJsonObject(tool)) return { tool };
  const type = tool.type ?? 'function';
  if (type !== 'function') return { tool }; // hosted tools have other fields of their own
  const reshaped = isJsonObject(tool.function) && tool.name === undefined;
  const source: JsonObject = reshaped ? { ...(tool.function as JsonObject), type } : tool;
  const removedKeys = Object.keys(source).filter((key) => !STANDARD_FUNCTION_TOOL_KEYS.includes(key));
  if (reshaped) removedKeys.unshift(...Object.keys(tool).filter((key) => key !== 'type' && key !== 'function'));

  const clean: JsonObject = { type: 'function', name: source.name };
  if (source.description !== undefined) clean.description = source.description;
  const addedKeys: string[] = [];
  if (tool.type === undefined) addedKeys.push('type');
  if (source.parameters === undefined) addedKeys.push('parameters');
  clean.parameters = source.parameters === undefined ? EMPTY_PARAMETERS : source.parameters;
  if (source.strict === undefined) addedKeys.push('strict');
  clean.strict = source.strict ?? false;

  const changed = reshaped || removedKeys.length > 0 || addedKeys.length > 0;
  if (!changed) return { tool };
  const name = typeof source.name === 'string' ? source.name : undefined;
  return { tool: clean, repair: { index, name, removedKeys, reshapedFromChatCompletions: reshaped, addedKeys } };
}

function toolList(repairs: readonly ToolSchemaRepair[]): string {
  const names = repairs.map((repair) => repair.name ?? `tools[${repair.index}]`);
  const count = `${repairs.length} tool${repairs.length === 1 ? '' : 's'}`;
  return names.length <= 3 ? `${count}: ${names.join(', ')}` : `${count}: ${names.slice(0, 3).join(', ')}, …`;
}

const ADDED_VALUES: Record<string, string> = { type: 'function', parameters: 'an empty object schema', strict: 'false' };

function formatNotice(repairs: readonly ToolSchemaRepair[]): string | undefined {
  if (repairs.length === 0) return undefined;
  const parts: string[] = [];
  const byKey = new Map<string, ToolSchemaRepair[]>();
  for (const repair of repairs) for (const key of repair.removedKeys) byKey.set(key, [...(byKey.get(key) ?? []), repair]);
  if (byKey.size > 0) {
    parts.push(`removed non-standard keys ${[...byKey].map(([key, tools]) => `${key} (${toolList(tools)})`).join(', ')}`);
  }
  const reshaped = repairs.filter((repair) => repair.reshapedFromChatCompletions);
  if (reshaped.length > 0) parts.push(`flattened Chat Completions tools {type, function:{...}} (${toolList(reshaped)})`);
  for (const [key, value] of Object.entries(ADDED_VALUES)) {
    const added = repairs.filter((repair) => repair.addedKeys.includes(key));
    if (added.length > 0) parts.push(`added ${key} = ${value} (${toolList(added)})`);
  }
  return `Sanitised tool schemas: ${parts.join('; ')}.`;
}

/** Repairs a `tools` list; the same list when nothing needed repair. */
export function repairToolList(tools: unknown): { tools: unknown; repairs: ToolSchemaRepair[] } {
  if (!Array.isArray(tools)) return { tools, repairs: [] };
  const repairs: ToolSchemaRepair[] = [];
  const repaired = tools.map((tool, index) => {
    const result = repairTool(tool, index);
    if (result.repair) repairs.push(result.repair);
    return result.tool;
  });
  return { tools: repairs.length === 0 ? tools : repaired, repairs };
}

/** Repairs `params.tools` (any request body); returns the repaired copy and what changed. */
export function sanitizeToolSchemas<T>(params: T): SanitizeToolSchemasResult<T> {
  if (!isJsonObject(params) || !Array.isArray(params.tools)) return { params, repairs: [] };
  const { tools, repairs } = repairToolList(params.tools);
  if (repairs.length === 0) return { params, repairs };
  return { params: { ...params, tools } as T, repairs, notice: formatNotice(repairs) };
}
