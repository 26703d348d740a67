import { z } from 'zod';

/**
 * Chat Completions, as far as the Responses ↔ Chat conversion needs it. Requests are plain types (we build
 * them); replies are validated leniently (vLLM and other servers add fields such as `reasoning_content`).
 */

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } };

export type ChatMessage =
  | { role: 'system' | 'developer' | 'user'; content: string | ChatContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: ChatToolCall[];
      /** vLLM's reasoning fields (sent only when reasoning is replayed as fields, not as `<think>` text). */
      reasoning_content?: string;
      reasoning?: string;
    }
  | { role: 'tool'; content: string | ChatContentPart[]; tool_call_id: string };

export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ChatToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  model?: string;
  max_tokens?: number;
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  top_logprobs?: number;
  metadata?: Record<string, string>;
  service_tier?: string;
  store?: boolean;
  user?: string;
  reasoning_effort?: string;
}

export const ChatCompletionToolCallObject = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
export type ChatCompletionToolCallObject = z.infer<typeof ChatCompletionToolCallObject>;

export const ChatCompletionMessageObject = z.looseObject({
  role: z.string(),
  content: z.string().nullish(),
  tool_calls: z.array(ChatCompletionToolCallObject).nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  refusal: z.string().nullish(),
});
export type ChatCompletionMessageObject = z.infer<typeof ChatCompletionMessageObject>;

export const ChatCompletionUsageObject = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type ChatCompletionUsageObject = z.infer<typeof ChatCompletionUsageObject>;

/** A `chat.completion` object. */
export const ChatCompletionObject = z.looseObject({
  id: z.string(),
  object: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        finish_reason: z.string().nullish(),
        message: ChatCompletionMessageObject,
      }),
    )
    .min(1),
  usage: ChatCompletionUsageObject.nullish(),
});
export type ChatCompletionObject = z.infer<typeof ChatCompletionObject>;

/** The minimum NeMo Gym checks on a `/v1/chat/completions` request body (other fields pass through). */
export const ChatCompletionCreateBody = z.looseObject({
  messages: z.array(z.looseObject({ role: z.string() })),
  stream: z.literal(false).nullish(),
});
export type ChatCompletionCreateBody = z.infer<typeof ChatCompletionCreateBody>;
