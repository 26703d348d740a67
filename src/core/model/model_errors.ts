import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { z } from 'zod';
import { ModelError, type ToolSchemaProblem } from './model.js';
import { UpstreamAnswerRejected } from './node_http_fetch.js';
import type { ErrorBodies } from './openai_client.js';
import { redactSecrets, redactUrl } from './redact.js';

/** What an error message needs to know about the call that failed. */
export interface ModelCallContext {
  /** e.g. `https://api.openai.com/v1/responses` (redacted before use). */
  url: string;
  /** The request's tools, to name the tool a 4xx points at by index. */
  tools?: readonly unknown[];
  timeoutMs?: number;
  maxRetries?: number;
  errorBodies?: ErrorBodies;
  /** Strings that must never appear in a message (the API key). */
  secrets: readonly (string | undefined)[];
  signal?: AbortSignal;
}

const MAX_QUOTED_MESSAGE = 1000;

function toolNameAt(tools: readonly unknown[] | undefined, index: number): string | undefined {
  const tool = tools?.[index] as { name?: unknown; function?: { name?: unknown } } | undefined;
  const name = tool?.name ?? tool?.function?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The tool and field a path like `tools[3].function.parameters` or a loc like `[body,tools,3,X,database]` names. */
function toolFromParam(param: string, tools: readonly unknown[] | undefined): ToolSchemaProblem | undefined {
  const match = /tools\[(\d+)\](?:\.function)?(?:\.([\w.[\]]+))?/.exec(param);
  if (!match) return undefined;
  const toolIndex = Number(match[1]);
  return { toolIndex, toolName: toolNameAt(tools, toolIndex), field: match[2] };
}

function toolFromPydanticLoc(loc: unknown, tools: readonly unknown[] | undefined): ToolSchemaProblem | undefined {
  if (!Array.isArray(loc)) return undefined;
  const at = loc.indexOf('tools');
  const toolIndex = loc[at + 1];
  if (at < 0 || typeof toolIndex !== 'number') return undefined;
  // Skip union member names (e.g. FunctionToolParam): the field is the last segment after the index.
  const rest = loc.slice(at + 2).filter((segment) => typeof segment === 'string' && !/^[A-Z]/.test(segment));
  return { toolIndex, toolName: toolNameAt(tools, toolIndex), field: rest.length > 0 ? rest.join('.') : undefined };
}

/** Finds the tool a 4xx is about, from the upstream's `param`, its message, or a FastAPI 422 detail. */
export function findToolSchemaProblem(
  upstream: { message?: string; param?: string | null; detail?: unknown },
  tools: readonly unknown[] | undefined,
): ToolSchemaProblem | undefined {
  if (Array.isArray(upstream.detail)) {
    for (const entry of upstream.detail) {
      const found = toolFromPydanticLoc((entry as { loc?: unknown }).loc, tools);
      if (found) return found;
    }
  }
  const fromParam = upstream.param ? toolFromParam(upstream.param, tools) : undefined;
  const fromMessage = upstream.message ? toolFromParam(upstream.message, tools) : undefined;
  const named = upstream.message ? /Invalid schema for function '([^']+)'/.exec(upstream.message)?.[1] : undefined;
  if (!fromParam && !fromMessage && !named) return undefined;
  const found: ToolSchemaProblem = { ...fromMessage, ...fromParam };
  if (named) {
    found.toolName = named;
    if (found.toolIndex === undefined && Array.isArray(tools)) {
      const index = tools.findIndex((_, i) => toolNameAt(tools, i) === named);
      if (index >= 0) found.toolIndex = index;
    }
  }
  return found;
}

function describeTool(tool: ToolSchemaProblem): string {
  const name = tool.toolName ? `'${tool.toolName}'` : 'unknown name';
  const index = tool.toolIndex !== undefined ? ` (tools[${tool.toolIndex}])` : '';
  const field = tool.field ? `, field '${tool.field}'` : '';
  return `tool ${name}${index}${field}`;
}

/** The upstream's own words: OpenAI's `error.message`, a FastAPI `detail`, or the raw body. */
function upstreamMessageOf(error: APIError, errorBodies: ErrorBodies | undefined): { message?: string; body?: unknown } {
  const structured = error.error as { message?: unknown } | undefined;
  const raw = error.headers ? errorBodies?.get(error.headers) : undefined;
  let body: unknown;
  try {
    body = raw !== undefined ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
  }
  if (typeof structured?.message === 'string') return { message: structured.message, body };
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (Array.isArray(detail) && detail.length > 0) {
    const first = detail[0] as { loc?: unknown[]; msg?: string };
    const where = Array.isArray(first.loc) ? `${first.loc.join('.')}: ` : '';
    const more = detail.length > 1 ? ` (and ${detail.length - 1} more)` : '';
    return { message: `${where}${first.msg ?? JSON.stringify(first)}${more}`, body };
  }
  if (typeof detail === 'string') return { message: detail, body };
  if (typeof body === 'string') return { message: body, body };
  if (raw) return { message: raw, body };
  return { body };
}

function clip(text: string): string {
  return text.length > MAX_QUOTED_MESSAGE ? `${text.slice(0, MAX_QUOTED_MESSAGE)}…` : text;
}

function connectionCause(error: unknown): string | undefined {
  const causes: string[] = [];
  let current: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; current && depth < 3; depth += 1) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    const text = [typeof code === 'string' ? code : undefined, typeof message === 'string' ? message : undefined]
      .filter(Boolean)
      .join(' ');
    if (text) causes.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  return causes.length > 0 ? causes.join(': ') : undefined;
}

function rejectedAnswer(error: unknown): UpstreamAnswerRejected | undefined {
  let current: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (current instanceof UpstreamAnswerRejected) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Converts whatever an SDK call threw into a {@link ModelError} whose message is free of secrets. */
export function toModelError(error: unknown, context: ModelCallContext): ModelError {
  if (error instanceof ModelError) return error;
  const url = redactUrl(context.url);
  const clean = (text: string) => redactSecrets(text, context.secrets);

  if (error instanceof APIUserAbortError || context.signal?.aborted) {
    return new ModelError({ kind: 'cancelled', message: `The model call to ${url} was cancelled.` });
  }
  if (error instanceof APIConnectionTimeoutError) {
    const limit = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : '';
    const retries = context.maxRetries !== undefined ? ` (${context.maxRetries + 1} attempts)` : '';
    return new ModelError({ kind: 'timeout', message: clean(`The model endpoint ${url} did not answer${limit}${retries}.`) });
  }
  if (error instanceof APIConnectionError) {
    const rejected = rejectedAnswer(error);
    if (rejected) {
      return new ModelError({ kind: 'invalid_response', retryable: true, message: clean(`The model endpoint ${url} sent an answer that was not accepted: ${rejected.message}.`) });
    }
    const cause = connectionCause(error);
    return new ModelError({
      kind: 'connection',
      message: clean(`Could not reach the model endpoint ${url}: ${error.message}${cause ? ` (${cause})` : ''}`),
    });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const { message: upstream, body } = upstreamMessageOf(error, context.errorBodies);
    const upstreamMessage = upstream !== undefined ? clean(clip(upstream)) : undefined;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const tool =
      status !== undefined && status >= 400 && status < 500
        ? findToolSchemaProblem(
            { message: upstreamMessage, param: error.param, detail: (body as { detail?: unknown } | undefined)?.detail },
            context.tools,
          )
        : undefined;
    const parts = [`The model endpoint ${url} answered HTTP ${status ?? '?'}`];
    if (code) parts.push(` (${code})`);
    parts.push(upstreamMessage ? `: ${JSON.stringify(upstreamMessage)}` : ' with no error message');
    if (tool) parts.push(`. The upstream rejected ${describeTool(tool)}`);
    return new ModelError({ kind: 'http', status, message: clean(parts.join('')), upstreamMessage, upstreamCode: code, tool });
  }
  if (error instanceof SyntaxError) {
    // A garbled body is usually a transient proxy failure, unlike a well-formed body of the wrong shape.
    return new ModelError({
      kind: 'invalid_response',
      retryable: true,
      message: clean(`The model endpoint ${url} sent a body that is not valid JSON: ${error.message}`),
    });
  }
  // The body stream broke after the headers arrived (e.g. the server closed the socket mid-response).
  if (error instanceof TypeError) {
    const cause = connectionCause(error);
    return new ModelError({
      kind: 'connection',
      message: clean(`The connection to the model endpoint ${url} broke while reading the response: ${error.message}${cause ? ` (${cause})` : ''}`),
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ModelError({ kind: 'invalid_response', retryable: false, message: clean(`The model call to ${url} failed: ${text}`) });
}

/** A `ModelError` for a reply that parsed as JSON but is not the expected object. */
export function invalidResponseError(url: string, what: string, issues: readonly z.core.$ZodIssue[]): ModelError {
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return new ModelError({
    kind: 'invalid_response',
    message: `The model endpoint ${redactUrl(url)} sent something that is not a ${what}${where}: ${first?.message ?? 'invalid'}`,
  });
}
