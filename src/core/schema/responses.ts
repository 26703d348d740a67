import { z } from 'zod';
import { namedUnion, validatePydanticStyle, type MemberSelection, type PydanticErrorDetail } from './pydantic_style.js';

/**
 * The OpenAI Responses API as NeMo Gym validates it (NEMO_GYM_PROTOCOL.md §2.4).
 *
 * Request side (`ResponsesCreateParams`) is as strict as `NeMoGymResponseCreateParamsNonStreaming`: unknown keys
 * are rejected at the top level and in the nested OpenAI TypedDicts (tools, reasoning, text, tool_choice,
 * prompt), because pydantic applies the parent's `extra="forbid"` to them. Input items are pydantic models with
 * the default `extra="ignore"`: unknown keys on them are dropped, not rejected (which is why a reasoning item's
 * `status` disappears). No field gets a default on parsing, so a parsed value holds only what the caller set
 * (pydantic's `exclude_unset` dump, which is what NeMo Gym forwards upstream).
 *
 * Response side (`ResponseObject`) is lenient: upstreams add fields, and those pass through.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete']);
/** `str` fields that may be null or absent. */
const optionalString = z.string().nullish();

function typeOf(input: unknown): unknown {
  return (input as Record<string, unknown>).type;
}

/** Members to try for a `type`-tagged object: those whose tag lists the input's type. */
function selectByType(tags: Record<string, readonly string[]>, whenUntagged?: readonly string[]) {
  const allowed = [...new Set(Object.values(tags).flat())];
  return (input: unknown): MemberSelection => {
    const type = typeOf(input);
    if (type === undefined && whenUntagged) return { members: whenUntagged };
    const members = Object.keys(tags).filter((name) => typeof type === 'string' && tags[name]!.includes(type));
    return members.length > 0 ? { members } : { unmatched: { key: 'type', allowed } };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Input content parts (TypedDicts inside pydantic models: unknown keys are dropped)

export const ResponseInputTextParam = z.object({ text: z.string(), type: z.literal('input_text') });
export type ResponseInputTextParam = z.infer<typeof ResponseInputTextParam>;

export const ResponseInputImageParam = z.object({
  detail: z.enum(['low', 'high', 'auto']),
  type: z.literal('input_image'),
  file_id: optionalString,
  image_url: optionalString,
});
export type ResponseInputImageParam = z.infer<typeof ResponseInputImageParam>;

export const ResponseInputFileParam = z.object({
  type: z.literal('input_file'),
  file_data: z.string().optional(),
  file_id: optionalString,
  file_url: z.string().optional(),
  filename: z.string().optional(),
});
export type ResponseInputFileParam = z.infer<typeof ResponseInputFileParam>;

export const ResponseInputAudioParam = z.object({
  input_audio: z.object({ data: z.string(), format: z.enum(['mp3', 'wav']) }),
  type: z.literal('input_audio'),
});
export type ResponseInputAudioParam = z.infer<typeof ResponseInputAudioParam>;

export const ResponseInputContentParam = namedUnion(
  [
    { name: 'ResponseInputTextParam', schema: ResponseInputTextParam },
    { name: 'ResponseInputImageParam', schema: ResponseInputImageParam },
    { name: 'ResponseInputFileParam', schema: ResponseInputFileParam },
    { name: 'ResponseInputAudioParam', schema: ResponseInputAudioParam },
  ],
  selectByType({
    ResponseInputTextParam: ['input_text'],
    ResponseInputImageParam: ['input_image'],
    ResponseInputFileParam: ['input_file'],
    ResponseInputAudioParam: ['input_audio'],
  }),
);
export type ResponseInputContentParam = z.infer<typeof ResponseInputContentParam>;

/** Parts of a function call's output when it is a list (text, image or file). */
export const FunctionCallOutputContentParam = namedUnion(
  [
    { name: 'ResponseInputTextContentParam', schema: ResponseInputTextParam },
    { name: 'ResponseInputImageContentParam', schema: ResponseInputImageParam },
    { name: 'ResponseInputFileContentParam', schema: ResponseInputFileParam },
  ],
  selectByType({
    ResponseInputTextContentParam: ['input_text'],
    ResponseInputImageContentParam: ['input_image'],
    ResponseInputFileContentParam: ['input_file'],
  }),
);
export type FunctionCallOutputContentParam = z.infer<typeof FunctionCallOutputContentParam>;

export const OutputTextContent = z.object({
  annotations: z.array(z.record(z.string(), z.unknown())),
  text: z.string(),
  type: z.literal('output_text').optional(),
  logprobs: z.array(z.record(z.string(), z.unknown())).nullish(),
});
export type OutputTextContent = z.infer<typeof OutputTextContent>;

export const RefusalContent = z.object({ refusal: z.string(), type: z.literal('refusal').optional() });
export type RefusalContent = z.infer<typeof RefusalContent>;

const OutputMessageContent = namedUnion(
  [
    { name: 'NeMoGymResponseOutputText', schema: OutputTextContent },
    { name: 'NeMoGymResponseOutputRefusal', schema: RefusalContent },
  ],
  (input) => ({ members: typeOf(input) === 'refusal' ? ['NeMoGymResponseOutputRefusal'] : ['NeMoGymResponseOutputText'] }),
);

// ---------------------------------------------------------------------------------------------------------------
// Input items (pydantic models with extra="ignore": unknown keys are dropped)

/** Token-level training data a "ForTraining" item carries (all three or none). */
const TokenIdFields = {
  prompt_token_ids: z.array(z.int()),
  generation_token_ids: z.array(z.int()),
  generation_log_probs: z.array(z.number()),
  routed_experts: z.union([z.string(), z.array(z.array(z.array(z.int())))]).nullish(),
};
const TOKEN_ID_KEYS = ['prompt_token_ids', 'generation_token_ids', 'generation_log_probs'] as const;

/** `{role, content}`: content a string or a list of input parts; any role. */
export const EasyInputMessage = z.object({
  content: z.union([z.string(), z.array(ResponseInputContentParam)]),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  type: z.literal('message').optional(),
});
export type EasyInputMessage = z.infer<typeof EasyInputMessage>;

/** A full input message: content a list of input parts; not assistant. */
export const InputMessage = z.object({
  content: z.array(ResponseInputContentParam),
  role: z.enum(['user', 'system', 'developer']),
  status: ItemStatus.optional(),
  type: z.literal('message').optional(),
});
export type InputMessage = z.infer<typeof InputMessage>;

/** An assistant message as the model produced it, echoed back as input. */
export const OutputMessageItemParam = z.object({
  id: z.string(),
  content: z.array(OutputMessageContent),
  role: z.literal('assistant').optional(),
  status: ItemStatus.optional(),
  type: z.literal('message').optional(),
});
export type OutputMessageItemParam = z.infer<typeof OutputMessageItemParam>;

export const FunctionCallItemParam = z.object({
  arguments: z.string(),
  call_id: z.string(),
  name: z.string(),
  type: z.literal('function_call').optional(),
  id: optionalString,
  status: ItemStatus.nullish(),
});
export type FunctionCallItemParam = z.infer<typeof FunctionCallItemParam>;

export const FunctionCallOutputItemParam = z.object({
  call_id: z.string(),
  output: z.union([z.string(), z.array(FunctionCallOutputContentParam)]),
  type: z.literal('function_call_output').optional(),
  id: optionalString,
  status: ItemStatus.nullish(),
});
export type FunctionCallOutputItemParam = z.infer<typeof FunctionCallOutputItemParam>;

export const ReasoningSummaryPart = z.object({ text: z.string(), type: z.literal('summary_text') });
export type ReasoningSummaryPart = z.infer<typeof ReasoningSummaryPart>;

/** A reasoning item. There is deliberately no `status`: OpenAI rejects it when echoed back. */
export const ReasoningItemParam = z.object({
  id: z.string(),
  summary: z.array(ReasoningSummaryPart),
  type: z.literal('reasoning').optional(),
  encrypted_content: optionalString,
  content: z.array(z.object({ text: z.string(), type: z.literal('reasoning_text') })).nullish(),
});
export type ReasoningItemParam = z.infer<typeof ReasoningItemParam>;

/** Hosted-tool items (v0.5+ accepts them); only their `type` is checked here. */
const HOSTED_ITEM_TYPES = [
  'mcp_call',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'file_search_call',
  'web_search_call',
  'computer_call',
  'computer_call_output',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
] as const;
export const HostedToolItemParam = z.looseObject({ type: z.enum(HOSTED_ITEM_TYPES) });
export type HostedToolItemParam = z.infer<typeof HostedToolItemParam>;

const MESSAGE_MEMBERS = ['NeMoGymEasyInputMessage', 'NeMoGymMessage', 'NeMoGymResponseOutputMessage'];
const INPUT_ITEM_TAGS: Record<string, readonly string[]> = {
  NeMoGymEasyInputMessage: ['message'],
  NeMoGymMessage: ['message'],
  NeMoGymResponseOutputMessage: ['message'],
  NeMoGymResponseFunctionToolCall: ['function_call'],
  NeMoGymFunctionCallOutput: ['function_call_output'],
  NeMoGymResponseReasoningItem: ['reasoning'],
  HostedToolItem: HOSTED_ITEM_TYPES,
};

/** Items the policy samples have a variant carrying token IDs; tool outputs and hosted items do not. */
const TRAINING_VARIANTS = new Set([
  'NeMoGymEasyInputMessageForTraining',
  'NeMoGymMessageForTraining',
  'NeMoGymResponseOutputMessageForTraining',
  'NeMoGymResponseFunctionToolCallForTraining',
  'NeMoGymResponseReasoningItemForTraining',
]);

function selectInputItemMembers(input: unknown): MemberSelection {
  const item = input as Record<string, unknown>;
  let selection: MemberSelection;
  if (item.type === undefined) {
    // Every member defaults its `type`; guess the member from the keys present.
    if ('role' in item) selection = { members: MESSAGE_MEMBERS };
    else if ('call_id' in item && 'output' in item) selection = { members: ['NeMoGymFunctionCallOutput'] };
    else if ('call_id' in item || 'arguments' in item) selection = { members: ['NeMoGymResponseFunctionToolCall'] };
    else if ('summary' in item) selection = { members: ['NeMoGymResponseReasoningItem'] };
    else selection = { members: ['NeMoGymEasyInputMessage'] };
  } else {
    selection = selectByType(INPUT_ITEM_TAGS)(input);
  }
  if ('members' in selection) {
    let members = selection.members;
    // An assistant message with a content list is most likely an echoed output message.
    if (item.role === 'assistant' && Array.isArray(item.content)) {
      members = ['NeMoGymResponseOutputMessage', ...members.filter((name) => name !== 'NeMoGymResponseOutputMessage')];
    }
    // Token IDs select the "ForTraining" variants (which require all three fields).
    if (TOKEN_ID_KEYS.some((key) => key in item)) {
      members = members.map((name) => (TRAINING_VARIANTS.has(`${name}ForTraining`) ? `${name}ForTraining` : name));
    }
    selection = { members };
  }
  return selection;
}

export const ResponseInputItem = namedUnion(
  [
    { name: 'NeMoGymEasyInputMessage', schema: EasyInputMessage },
    { name: 'NeMoGymMessage', schema: InputMessage },
    { name: 'NeMoGymResponseOutputMessage', schema: OutputMessageItemParam },
    { name: 'NeMoGymResponseFunctionToolCall', schema: FunctionCallItemParam },
    { name: 'NeMoGymFunctionCallOutput', schema: FunctionCallOutputItemParam },
    { name: 'NeMoGymResponseReasoningItem', schema: ReasoningItemParam },
    { name: 'HostedToolItem', schema: HostedToolItemParam },
    { name: 'NeMoGymEasyInputMessageForTraining', schema: EasyInputMessage.extend(TokenIdFields) },
    { name: 'NeMoGymMessageForTraining', schema: InputMessage.extend(TokenIdFields) },
    { name: 'NeMoGymResponseOutputMessageForTraining', schema: OutputMessageItemParam.extend(TokenIdFields) },
    { name: 'NeMoGymResponseFunctionToolCallForTraining', schema: FunctionCallItemParam.extend(TokenIdFields) },
    { name: 'NeMoGymResponseReasoningItemForTraining', schema: ReasoningItemParam.extend(TokenIdFields) },
  ],
  selectInputItemMembers,
);
export type ResponseInputItem = z.infer<typeof ResponseInputItem>;

// ---------------------------------------------------------------------------------------------------------------
// Tools and tool choice (TypedDicts under the forbidding parent: unknown keys are rejected)

/** Exactly `{type:"function", name, parameters, strict[, description]}`; `parameters`/`strict` may be null. */
export const FunctionToolParam = z.strictObject({
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
  strict: z.boolean().nullable(),
  type: z.literal('function'),
  description: optionalString,
});
export type FunctionToolParam = z.infer<typeof FunctionToolParam>;

/** OpenAI-hosted tools, by the class name pydantic reports; only their `type` is checked here. */
const HOSTED_TOOL_TYPES: Record<string, readonly string[]> = {
  FileSearchToolParam: ['file_search'],
  WebSearchToolParam: ['web_search', 'web_search_2025_08_26'],
  WebSearchPreviewToolParam: ['web_search_preview', 'web_search_preview_2025_03_11'],
  ComputerToolParam: ['computer_use_preview'],
  Mcp: ['mcp'],
  CodeInterpreter: ['code_interpreter'],
  ImageGeneration: ['image_generation'],
  LocalShell: ['local_shell'],
  FunctionShellToolParam: ['shell'],
  CustomToolParam: ['custom'],
  ApplyPatchToolParam: ['apply_patch'],
};

export const HostedToolParam = z.looseObject({ type: z.enum(Object.values(HOSTED_TOOL_TYPES).flat() as [string, ...string[]]) });
export type HostedToolParam = z.infer<typeof HostedToolParam>;

export const ToolParam = namedUnion(
  [
    { name: 'FunctionToolParam', schema: FunctionToolParam },
    ...Object.keys(HOSTED_TOOL_TYPES).map((name) => ({ name, schema: HostedToolParam })),
  ],
  selectByType({ FunctionToolParam: ['function'], ...HOSTED_TOOL_TYPES }, ['FunctionToolParam']),
);
export type ToolParam = z.infer<typeof ToolParam>;

export function isFunctionTool(tool: ToolParam): tool is FunctionToolParam {
  return tool.type === 'function';
}

export const ToolChoiceOptions = z.enum(['none', 'auto', 'required']);
export const ToolChoiceFunctionParam = z.strictObject({ name: z.string(), type: z.literal('function') });
export const ToolChoiceAllowedParam = z.strictObject({
  mode: z.enum(['auto', 'required']),
  tools: z.array(z.record(z.string(), z.unknown())),
  type: z.literal('allowed_tools'),
});
const TOOL_CHOICE_HOSTED_TYPES = [
  'file_search',
  'web_search_preview',
  'computer_use_preview',
  'web_search_preview_2025_03_11',
  'image_generation',
  'code_interpreter',
] as const;
export const ToolChoiceTypesParam = z.strictObject({ type: z.enum(TOOL_CHOICE_HOSTED_TYPES) });
export const ToolChoiceMcpParam = z.strictObject({ server_label: z.string(), type: z.literal('mcp'), name: optionalString });
export const ToolChoiceCustomParam = z.strictObject({ name: z.string(), type: z.literal('custom') });

export const ToolChoice = z.union([
  ToolChoiceOptions,
  namedUnion(
    [
      { name: 'ToolChoiceAllowedParam', schema: ToolChoiceAllowedParam },
      { name: 'ToolChoiceTypesParam', schema: ToolChoiceTypesParam },
      { name: 'ToolChoiceFunctionParam', schema: ToolChoiceFunctionParam },
      { name: 'ToolChoiceMcpParam', schema: ToolChoiceMcpParam },
      { name: 'ToolChoiceCustomParam', schema: ToolChoiceCustomParam },
    ],
    selectByType({
      ToolChoiceAllowedParam: ['allowed_tools'],
      ToolChoiceTypesParam: TOOL_CHOICE_HOSTED_TYPES,
      ToolChoiceFunctionParam: ['function'],
      ToolChoiceMcpParam: ['mcp'],
      ToolChoiceCustomParam: ['custom'],
    }),
  ),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

// ---------------------------------------------------------------------------------------------------------------
// Other nested params

export const ReasoningParam = z.strictObject({
  effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
  summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
});
export type ReasoningParam = z.infer<typeof ReasoningParam>;

const TextFormat = namedUnion(
  [
    { name: 'ResponseFormatText', schema: z.strictObject({ type: z.literal('text') }) },
    {
      name: 'ResponseFormatTextJSONSchemaConfigParam',
      schema: z.strictObject({
        name: z.string(),
        schema: z.record(z.string(), z.unknown()),
        type: z.literal('json_schema'),
        description: z.string().optional(),
        strict: z.boolean().nullish(),
      }),
    },
    { name: 'ResponseFormatJSONObject', schema: z.strictObject({ type: z.literal('json_object') }) },
  ],
  selectByType({
    ResponseFormatText: ['text'],
    ResponseFormatTextJSONSchemaConfigParam: ['json_schema'],
    ResponseFormatJSONObject: ['json_object'],
  }),
);

export const ResponseTextConfigParam = z.strictObject({
  format: TextFormat.optional(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
});
export type ResponseTextConfigParam = z.infer<typeof ResponseTextConfigParam>;

export const ResponsePromptParam = z.strictObject({
  id: z.string(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  version: optionalString,
});
export type ResponsePromptParam = z.infer<typeof ResponsePromptParam>;

export const ResponseIncludable = z.enum([
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
]);

// ---------------------------------------------------------------------------------------------------------------
// Create params

/**
 * `NeMoGymResponseCreateParamsNonStreaming`. Defaults NeMo Gym applies but does not forward (it dumps with
 * `exclude_unset`): `parallel_tool_calls` true, `tool_choice` "auto", `tools` []; see {@link CREATE_PARAM_DEFAULTS}.
 */
export const ResponsesCreateParams = z.strictObject({
  background: z.boolean().nullish(),
  include: z.array(ResponseIncludable).nullish(),
  input: z.union([z.string(), z.array(ResponseInputItem)]),
  instructions: optionalString,
  max_output_tokens: z.int().nullish(),
  max_tool_calls: z.int().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  model: optionalString,
  parallel_tool_calls: z.boolean().optional(),
  previous_response_id: optionalString,
  prompt: ResponsePromptParam.nullish(),
  reasoning: ReasoningParam.nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullish(),
  store: z.boolean().nullish(),
  temperature: z.number().nullish(),
  text: ResponseTextConfigParam.nullish(),
  tool_choice: ToolChoice.optional(),
  tools: z.array(ToolParam).optional(),
  top_logprobs: z.int().nullish(),
  top_p: z.number().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  user: optionalString,
  stream: z.literal(false).nullish(),
});
export type ResponsesCreateParams = z.infer<typeof ResponsesCreateParams>;

/** The keys `ResponsesCreateParams` allows, in pydantic's field order (the order of a full dump). */
export const CREATE_PARAM_KEYS = Object.keys(ResponsesCreateParams.shape) as (keyof ResponsesCreateParams)[];

/** The values pydantic fills in for fields the caller did not set. */
export const CREATE_PARAM_DEFAULTS = { parallel_tool_calls: true, tool_choice: 'auto', tools: [] } as const;

/** Validates a create-params body the way NeMo Gym's model and agent servers do (FastAPI 422 `detail`). */
export function validateResponsesCreateParams(
  body: unknown,
): { ok: true; value: ResponsesCreateParams } | { ok: false; detail: PydanticErrorDetail[] } {
  const tools = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { tools?: unknown }).tools : undefined;
  if (Array.isArray(tools) && validatedToolLists.has(tools)) {
    const result = validatePydanticStyle(ResponsesCreateParams, { ...(body as object), tools: [] });
    return result.ok ? { ok: true, value: { ...result.value, tools: tools as ResponsesCreateParams['tools'] } } : result;
  }
  const result = validatePydanticStyle(ResponsesCreateParams, body);
  if (result.ok && Array.isArray(tools)) validatedToolLists.add(tools);
  return result;
}

/**
 * Tool lists already validated, by identity. An agent sends the same `tools` array on every turn of a rollout
 * (27 schemas, most of each request's bytes); in-process callers hand over that very array, so it is checked
 * once. Arrays are never mutated after they are sent.
 */
const validatedToolLists = new WeakSet<unknown[]>();

/**
 * `max_tokens` is Chat Completions' name; the Responses API calls it `max_output_tokens` and NeMo Gym's schema
 * rejects `max_tokens` with a 422. Maps it (an explicit `max_output_tokens` wins) and says so in one line.
 */
export function normalizeCreateParamOverrides(overrides: Record<string, unknown>): {
  params: Record<string, unknown>;
  /** At most one line, for the user. */
  notices: string[];
} {
  if (!Object.hasOwn(overrides, 'max_tokens')) return { params: overrides, notices: [] };
  const { max_tokens: maxTokens, ...rest } = overrides;
  if (Object.hasOwn(rest, 'max_output_tokens')) {
    return {
      params: rest,
      notices: [
        `responses_create_params.max_tokens is Chat Completions' name; ignoring it because max_output_tokens=` +
          `${String(rest.max_output_tokens)} (the Responses API name) is also set.`,
      ],
    };
  }
  return {
    params: { ...rest, max_output_tokens: maxTokens },
    notices: [
      `responses_create_params.max_tokens is Chat Completions' name; using max_output_tokens=${String(maxTokens)} ` +
        `(the Responses API name).`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Response side (lenient: unknown fields pass through)

export const OutputTextPart = z.looseObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).nullish(),
});
export type OutputTextPart = z.infer<typeof OutputTextPart>;

export const ResponseOutputMessage = z.looseObject({
  type: z.literal('message'),
  id: z.string(),
  role: z.literal('assistant'),
  status: z.string().nullish(),
  content: z.array(z.looseObject({ type: z.string() })),
});
export type ResponseOutputMessage = z.infer<typeof ResponseOutputMessage>;

export const ResponseFunctionCall = z.looseObject({
  type: z.literal('function_call'),
  name: z.string(),
  arguments: z.string(),
  call_id: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
export type ResponseFunctionCall = z.infer<typeof ResponseFunctionCall>;

export const ResponseFunctionCallOutput = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(z.unknown())]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
export type ResponseFunctionCallOutput = z.infer<typeof ResponseFunctionCallOutput>;

export const ResponseReasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })),
  encrypted_content: z.string().nullish(),
});
export type ResponseReasoningItem = z.infer<typeof ResponseReasoningItem>;

/** Any other item type (hosted tools, future types): only `type` is required. */
export const ResponseOtherItem = z.looseObject({ type: z.string() });
export type ResponseOtherItem = z.infer<typeof ResponseOtherItem>;

const KNOWN_OUTPUT_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning'];

export const ResponseOutputItem = namedUnion(
  [
    { name: 'message', schema: ResponseOutputMessage },
    { name: 'function_call', schema: ResponseFunctionCall },
    { name: 'function_call_output', schema: ResponseFunctionCallOutput },
    { name: 'reasoning', schema: ResponseReasoningItem },
    { name: 'other', schema: ResponseOtherItem },
  ],
  (input) => {
    const type = typeOf(input);
    return { members: [typeof type === 'string' && KNOWN_OUTPUT_TYPES.includes(type) ? type : 'other'] };
  },
);
export type ResponseOutputItem = z.infer<typeof ResponseOutputItem>;

export function isFunctionCallItem(item: ResponseOutputItem): item is ResponseFunctionCall {
  return item.type === 'function_call';
}

export const ResponseUsage = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type ResponseUsage = z.infer<typeof ResponseUsage>;

/** A Responses API `response` object. */
export const ResponseObject = z.looseObject({
  id: z.string(),
  object: z.literal('response'),
  created_at: z.number(),
  model: z.string(),
  status: z.string().nullish(),
  output: z.array(ResponseOutputItem),
  usage: ResponseUsage.nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type ResponseObject = z.infer<typeof ResponseObject>;
