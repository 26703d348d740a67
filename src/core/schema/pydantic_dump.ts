/**
 * The shape NeMo Gym's servers echo back: pydantic's `model_dump()` of the create params fills every field
 * with its default, in the model's field order. Rollout lines written by Python and by us then look alike.
 */
import { isJsonObject, type JsonObject } from '../json_object';
const CREATE_PARAMS_FIELDS: ReadonlyArray<readonly [string, unknown]> = [
  ['background', null],
  ['include', null],
  ['input', null],
  ['instructions', null],
  ['max_output_tokens', null],
  ['max_tool_calls', null],
  ['metadata', null],
  ['model', null],
  ['parallel_tool_calls', true],
  ['previous_response_id', null],
  ['prompt', null],
  ['reasoning', null],
  ['service_tier', null],
  ['store', null],
  ['temperature', null],
  ['text', null],
  ['tool_choice', 'auto'],
  ['tools', []],
  ['top_logprobs', null],
  ['top_p', null],
  ['truncation', null],
  ['user', null],
  ['stream', null],
];


export function dumpCreateParams(params: JsonObject): JsonObject {
  const dumped: JsonObject = {};
  for (const [field, fallback] of CREATE_PARAMS_FIELDS) {
    const value = Object.hasOwn(params, field) ? params[field] : fallback;
    if (field === 'input' && Array.isArray(value)) dumped.input = value.map(dumpInputItem);
    else if (field === 'tools' && Array.isArray(value)) dumped.tools = value.map(dumpTool);
    else dumped[field] = value;
  }
  return dumped;
}

function dumpInputItem(item: unknown): unknown {
  if (!isJsonObject(item)) return item;
  if (item.type === undefined && typeof item.role === 'string') return { ...item, type: 'message' };
  if (item.type === 'function_call_output') return { ...item, id: item.id ?? null, status: item.status ?? null };
  return item;
}

function dumpTool(tool: unknown): unknown {
  if (!isJsonObject(tool) || tool.type !== 'function') return tool;
  const { name, parameters, strict, type, description, ...rest } = tool;
  const dumped: JsonObject = { name, parameters, strict, type };
  if (description !== undefined) dumped.description = description;
  return { ...dumped, ...rest };
}
