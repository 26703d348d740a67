/** What a script needs to know about one model request, for both wire APIs. */

export type ModelApi = 'responses' | 'chat';

export interface ScriptRequest {
  api: ModelApi;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** `model` of the request (empty if absent). */
  model: string;
  /** Text of the first user message; identifies the task. */
  userText: string | undefined;
  /** `function_call_output` items (Responses) or `tool` messages (Chat) so far; identifies the turn. */
  toolOutputCount: number;
  /** Names of the tools the request offers. */
  toolNames: string[];
  /** 0-based index among the model requests this server has received. */
  modelRequestIndex: number;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Text of a message's content: a string, or the `text` of its parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function responsesItems(body: JsonObject): JsonObject[] {
  if (typeof body.input === 'string') return [{ role: 'user', content: body.input }];
  return Array.isArray(body.input) ? body.input.filter(isObject) : [];
}

function isFunctionCallOutput(item: JsonObject): boolean {
  return item.type === 'function_call_output' || (item.type === undefined && 'call_id' in item && 'output' in item);
}

export function describeRequest(api: ModelApi, body: JsonObject, modelRequestIndex: number): ScriptRequest {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const common = { api, body, model: typeof body.model === 'string' ? body.model : '', modelRequestIndex };
  if (api === 'responses') {
    const items = responsesItems(body);
    const user = items.find((item) => item.role === 'user');
    return {
      ...common,
      userText: user ? contentText(user.content) : undefined,
      toolOutputCount: items.filter(isFunctionCallOutput).length,
      toolNames: tools.map((tool) => String(tool.name)),
    };
  }
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const user = messages.find((message) => message.role === 'user');
  return {
    ...common,
    userText: user ? contentText(user.content) : undefined,
    toolOutputCount: messages.filter((message) => message.role === 'tool').length,
    toolNames: tools.map((tool) => String(isObject(tool.function) ? tool.function.name : tool.name)),
  };
}
