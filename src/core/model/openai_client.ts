import { createNodeHttpFetch } from './node_http_fetch';
import OpenAI from 'openai';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { ModelCallContext } from './model_errors.js';
import { redactingLogger } from './redact.js';
import { Semaphore } from './semaphore.js';
import { attemptCountingFetch } from './upstream_attempts.js';

/** How to reach an OpenAI-compatible endpoint; shared by the Responses and the Chat Completions adapters. */
export interface OpenAIEndpointOptions {
  /** Base URL ending in `/v1` (e.g. `https://api.openai.com/v1`). */
  baseURL: string;
  apiKey: string;
  /** Model name sent upstream; it overwrites any `model` in the request (NeMo Gym's `openai_model`). */
  model: string;
  /** Merged under every request body: request fields win (NeMo Gym's `extra_body`). */
  extraBody?: Record<string, unknown>;
  defaultHeaders?: Record<string, string>;
  /** Per-attempt timeout; the SDK's default is 10 minutes. */
  timeoutMs?: number;
  /** Retries after the first attempt (429, 408, 409, 5xx, connection errors, timeouts); the SDK's default is 2. */
  maxRetries?: number;
  /** Upstream calls in flight at once from this model (NeMo Gym's `max_concurrent_requests`); unset = no limit. */
  maxConcurrentRequests?: number | null;
  /** Larger answers are refused unread (see node_http_fetch.ts); default 32 MiB. */
  maxAnswerBytes?: number;
  logger?: Logger;
}

/**
 * Error bodies the SDK could not keep: it reads `body.error` only, so a FastAPI `{"detail": ...}` or a plain-text
 * body is lost from its `APIError`. The SDK passes the fetch Response's own `Headers` object to the error, so
 * keying on it finds the body again.
 */
export type ErrorBodies = WeakMap<Headers, string>;

const MAX_KEPT_ERROR_BODY = 4000;

function fetchKeepingErrorBodies(errorBodies: ErrorBodies, fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.ok) {
      try {
        errorBodies.set(response.headers, (await response.clone().text()).slice(0, MAX_KEPT_ERROR_BODY));
      } catch {
        // The body could not be read (dropped connection); the SDK reports that itself.
      }
    }
    return response;
  };
}

function formatLogArguments(message: string, rest: unknown[]): string {
  if (rest.length === 0) return message;
  const parts = rest.map((value) => {
    if (typeof value === 'string') return value;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  });
  return `${message} ${parts.join(' ')}`;
}

export interface OpenAIEndpoint {
  client: OpenAI;
  errorBodies: ErrorBodies;
  semaphore?: Semaphore;
  logger: Logger;
}

/** An `openai` SDK client for the endpoint, logging through our (redacting) logger. */
export function createOpenAIEndpoint(options: OpenAIEndpointOptions): OpenAIEndpoint {
  const logger = redactingLogger(options.logger ?? silentLogger, [options.apiKey]);
  const errorBodies: ErrorBodies = new WeakMap();
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    defaultHeaders: options.defaultHeaders,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: attemptCountingFetch(fetchKeepingErrorBodies(errorBodies, createNodeHttpFetch(options.maxAnswerBytes ? { maxAnswerBytes: options.maxAnswerBytes } : {}))),
    // The SDK's info lines (one per attempt, retries included) go to our debug level.
    logLevel: 'info',
    logger: {
      error: (message, ...rest) => logger.error(formatLogArguments(message, rest)),
      warn: (message, ...rest) => logger.warn(formatLogArguments(message, rest)),
      info: (message, ...rest) => logger.debug(formatLogArguments(message, rest)),
      debug: (message, ...rest) => logger.trace(formatLogArguments(message, rest)),
    },
  });
  const limit = options.maxConcurrentRequests;
  return { client, errorBodies, logger, semaphore: limit ? new Semaphore(limit) : undefined };
}

/** Runs `call` holding a permit of the endpoint's semaphore, if it has one. */
export async function withPermit<T>(endpoint: OpenAIEndpoint, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  const release = await endpoint.semaphore?.acquire(signal);
  try {
    return await call();
  } finally {
    release?.();
  }
}

/** What error messages need to know about a call to `path` (e.g. `/responses`) on the endpoint. */
export function callContext(
  endpoint: OpenAIEndpoint,
  options: OpenAIEndpointOptions,
  path: string,
  extra: Partial<ModelCallContext> = {},
): ModelCallContext {
  return {
    url: `${options.baseURL.replace(/\/+$/, '')}${path}`,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    errorBodies: endpoint.errorBodies,
    secrets: [options.apiKey],
    ...extra,
  };
}
