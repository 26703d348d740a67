import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatFunctionTool,
  ChatMessage,
  ChatToolCall,
  ChatToolChoice,
} from '../schema/chat_completions.js';
import { isFunctionTool, type ResponseInputItem, type ResponsesCreateParams } from '../schema/responses.js';
import { UnsupportedInputError } from './model.js';

/**
 * Responses create params → Chat Completions request, following NeMo Gym's vllm_model converter
 * (NEMO_GYM_PROTOCOL.md §3.2.1) with its current (HEAD) choices: `instructions` becomes a leading system
 * message, `strict` is dropped from tools, an assistant message without tool calls has no `tool_calls` key,
 * `reasoning.effort` becomes `reasoning_effort`. Where NeMo Gym fails with a 500 (an unsupported part, a
 * Responses-style `tool_choice` object), this either converts (`tool_choice`) or throws UnsupportedInputError.
 */

/** How reasoning items of the input reach the chat model. */
export type ReasoningReplay =
  /** `<think>TEXT</think>` prepended to the next assistant content (NeMo Gym's converter). */
  | 'think_tags'
  /** `reasoning_content` and `reasoning` fields on the assistant message (vLLM with a reasoning parser). */
  | 'reasoning_fields'
  /** Not sent at all. */
  | 'drop';

export interface ResponsesToChatOptions {
  reasoningReplay?: ReasoningReplay;
  /** Rewrite `developer` messages as `system` (for servers that do not know the developer role). */
  replaceDeveloperRoleWithSystem?: boolean;
}

type Loc = (string | number)[];
type ItemKind = 'message' | 'function_call' | 'function_call_output' | 'reasoning';

/** An item's type; items may omit it (every pydantic member defaults it), so infer it from the keys. */
export function inputItemKind(item: ResponseInputItem): ItemKind | string {
  const record = item as Record<string, unknown>;
  if (typeof record.type === 'string') return record.type;
  if ('role' in record) return 'message';
  if ('call_id' in record && 'output' in record) return 'function_call_output';
  if ('call_id' in record) return 'function_call';
  if ('summary' in record) return 'reasoning';
  return 'unknown';
}

/** Collects assistant text, reasoning and tool calls until a non-assistant item flushes them as one message. */
class AssistantBuffer {
  private content = '';
  private readonly reasoning: string[] = [];
  private toolCalls: ChatToolCall[] = [];

  constructor(private readonly reasoningReplay: ReasoningReplay) {}

  addText(text: string): void {
    this.content += text;
  }

  addReasoning(text: string): void {
    if (this.reasoningReplay === 'think_tags') this.content += `<think>${text}</think>`;
    else if (this.reasoningReplay === 'reasoning_fields') this.reasoning.push(text);
  }

  addToolCall(call: ChatToolCall): void {
    this.toolCalls.push(call);
  }

  flushInto(messages: ChatMessage[]): void {
    if (this.content === '' && this.toolCalls.length === 0 && this.reasoning.length === 0) return;
    const message: ChatMessage = {
      role: 'assistant',
      // Chat servers reject an assistant message with neither content nor tool calls.
      content: this.content !== '' ? this.content : this.toolCalls.length > 0 ? null : '',
    };
    if (this.toolCalls.length > 0) message.tool_calls = this.toolCalls;
    if (this.reasoning.length > 0) {
      const text = this.reasoning.join('\n');
      message.reasoning_content = text;
      message.reasoning = text;
    }
    messages.push(message);
    this.content = '';
    this.reasoning.length = 0;
    this.toolCalls = [];
  }
}

function convertInputPart(part: unknown, loc: Loc): ChatContentPart {
  const record = part as { type?: string; text?: string; image_url?: string | null; detail?: string };
  if (record.type === 'input_text' && typeof record.text === 'string') return { type: 'text', text: record.text };
  if (record.type === 'input_image' && typeof record.image_url === 'string') {
    return { type: 'image_url', image_url: { url: record.image_url, ...(record.detail ? { detail: record.detail } : {}) } };
  }
  throw new UnsupportedInputError(`Chat Completions conversion does not support content parts of type '${String(record.type)}'`, loc);
}

function convertContent(content: unknown, loc: Loc): string | ChatContentPart[] {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part, index) => convertInputPart(part, [...loc, index]));
  throw new UnsupportedInputError('Message content must be a string or a list of parts', loc);
}

/** The text of an assistant message's content (output_text, input_text and refusal parts concatenated). */
function assistantText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { text?: unknown; refusal?: unknown }) =>
      typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '',
    )
    .join('');
}

function messageRole(role: string, options: ResponsesToChatOptions): 'system' | 'developer' | 'user' {
  if (role === 'developer' && options.replaceDeveloperRoleWithSystem) return 'system';
  return role as 'system' | 'developer' | 'user';
}

/** The conversation as Chat Completions messages (without `instructions`). */
export function responsesInputToChatMessages(input: ResponsesCreateParams['input'], options: ResponsesToChatOptions = {}): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', text: input }] }];
  const messages: ChatMessage[] = [];
  const buffer = new AssistantBuffer(options.reasoningReplay ?? 'think_tags');
  input.forEach((item, index) => {
    const loc: Loc = ['input', index];
    const record = item as Record<string, unknown>;
    const kind = inputItemKind(item);
    switch (kind) {
      case 'message': {
        const role = String(record.role);
        if (role === 'assistant') {
          buffer.addText(assistantText(record.content));
          return;
        }
        buffer.flushInto(messages);
        messages.push({ role: messageRole(role, options), content: convertContent(record.content, [...loc, 'content']) });
        return;
      }
      case 'reasoning':
        for (const part of (record.summary as { text: string }[] | undefined) ?? []) buffer.addReasoning(part.text);
        return;
      case 'function_call':
        buffer.addToolCall({
          id: String(record.call_id),
          type: 'function',
          function: { name: String(record.name), arguments: String(record.arguments) },
        });
        return;
      case 'function_call_output': {
        buffer.flushInto(messages);
        const output = record.output;
        messages.push({
          role: 'tool',
          content: typeof output === 'string' ? output : convertContent(output, [...loc, 'output']),
          tool_call_id: String(record.call_id),
        });
        return;
      }
      default:
        throw new UnsupportedInputError(`Chat Completions conversion does not support input items of type '${kind}'`, loc);
    }
  });
  buffer.flushInto(messages);
  return messages;
}

function textOf(content: string | ChatContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** `instructions` as one leading system message, folding any leading system/developer messages into it. */
function withInstructions(messages: ChatMessage[], instructions: string | null | undefined): ChatMessage[] {
  if (!instructions) return messages;
  let leading = 0;
  while (leading < messages.length && (messages[leading]!.role === 'system' || messages[leading]!.role === 'developer')) leading += 1;
  const folded = messages.slice(0, leading).map((message) => textOf(message.content as string | ChatContentPart[]));
  return [{ role: 'system', content: [instructions, ...folded].join('\n\n') }, ...messages.slice(leading)];
}

function convertTools(tools: NonNullable<ResponsesCreateParams['tools']>): ChatFunctionTool[] {
  return tools.map((tool, index) => {
    if (!isFunctionTool(tool)) {
      throw new UnsupportedInputError(`Chat Completions has no equivalent of the hosted tool type '${tool.type}'`, ['tools', index]);
    }
    const fn: ChatFunctionTool['function'] = { name: tool.name };
    if (tool.description != null) fn.description = tool.description;
    if (tool.parameters != null) fn.parameters = tool.parameters;
    return { type: 'function', function: fn };
  });
}

function convertToolChoice(choice: NonNullable<ResponsesCreateParams['tool_choice']>): ChatToolChoice {
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && 'name' in choice) return { type: 'function', function: { name: choice.name } };
  throw new UnsupportedInputError(`Chat Completions has no equivalent of tool_choice type '${choice.type}'`, ['tool_choice']);
}

/** The whole request. `model` is left to the caller (the adapter overwrites it anyway). */
export function responsesToChatCompletionParams(params: ResponsesCreateParams, options: ResponsesToChatOptions = {}): ChatCompletionRequest {
  const request: ChatCompletionRequest = {
    messages: withInstructions(responsesInputToChatMessages(params.input, options), params.instructions),
  };
  const tools = params.tools ?? [];
  if (tools.length > 0) {
    request.tools = convertTools(tools);
    if (params.tool_choice !== undefined) request.tool_choice = convertToolChoice(params.tool_choice);
    if (params.parallel_tool_calls !== undefined) request.parallel_tool_calls = params.parallel_tool_calls;
  } else if (params.tool_choice === 'required') {
    throw new UnsupportedInputError("tool_choice is 'required' but the request has no tools", ['tool_choice']);
  }
  if (params.max_output_tokens != null) request.max_tokens = params.max_output_tokens;
  if (params.temperature != null) request.temperature = params.temperature;
  if (params.top_p != null) request.top_p = params.top_p;
  if (params.top_logprobs != null) request.top_logprobs = params.top_logprobs;
  if (params.metadata != null) request.metadata = params.metadata;
  if (params.service_tier != null) request.service_tier = params.service_tier;
  if (params.store != null) request.store = params.store;
  if (params.user != null) request.user = params.user;
  if (params.reasoning?.effort != null) request.reasoning_effort = params.reasoning.effort;
  return request;
}
