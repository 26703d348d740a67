/**
 * Opt-in repair of tool dicts before NeMo Gym's strict schema sees them (NEMO_GYM_PROTOCOL.md §2.4): keeps only
 * `type, name, description, parameters, strict`, turns Chat-Completions-shaped tools (`{type, function:{...}}`)
 * into the flat Responses shape, and adds a missing `parameters` (null) or `strict` (false, the Chat Completions
 * behaviour). Works on the raw request body, before validation, and never mutates its input.
 */
import { isJsonObject } from '../json_object';

const FUNCTION_TOOL_KEYS = ['type', 'name', 'description', 'parameters', 'strict'] as const;

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

type JsonObject = Record<string, unknown>;


function sanitizeTool(tool: unknown, index: number): { tool: unknown; repair?: ToolSchemaRepair } {
  if (!isJsonObject(tool)) return { tool };
  const type = tool.type ?? 'function';
  if (type !== 'function') return { tool }; // hosted tools have other fields of their own
  const reshaped = isJsonObject(tool.function) && tool.name === undefined;
  const source: JsonObject = reshaped ? { ...(tool.function as JsonObject), type } : tool;
  const removedKeys = Object.keys(source).filter((key) => !(FUNCTION_TOOL_KEYS as readonly string[]).includes(key));
  if (reshaped) removedKeys.unshift(...Object.keys(tool).filter((key) => key !== 'type' && key !== 'function'));

  const clean: JsonObject = { type: 'function', name: source.name };
  if (source.description !== undefined) clean.description = source.description;
  const addedKeys: string[] = [];
  if (tool.type === undefined) addedKeys.push('type');
  if (source.parameters === undefined) addedKeys.push('parameters');
  clean.parameters = source.parameters ?? null;
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

const ADDED_VALUES: Record<string, string> = { type: 'function', parameters: 'null', strict: 'false' };

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
    if (added.length > 0) parts.push(`added ${key}=${value} (${toolList(added)})`);
  }
  return `Sanitised tool schemas: ${parts.join('; ')}.`;
}

/** Repairs `params.tools` (any request body); returns the repaired copy and what changed. */
export function sanitizeToolSchemas<T>(params: T): SanitizeToolSchemasResult<T> {
  if (!isJsonObject(params) || !Array.isArray(params.tools)) return { params, repairs: [] };
  const repairs: ToolSchemaRepair[] = [];
  const tools = params.tools.map((tool, index) => {
    const result = sanitizeTool(tool, index);
    if (result.repair) repairs.push(result.repair);
    return result.tool;
  });
  if (repairs.length === 0) return { params, repairs };
  return { params: { ...params, tools } as T, repairs, notice: formatNotice(repairs) };
}
