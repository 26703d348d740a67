import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describeRequest, type ModelApi } from './conversation.js';
import {
  FaultSchedule,
  RATE_LIMIT_BODY,
  SERVER_ERROR_BODY,
  SERVICE_UNAVAILABLE_BODY,
  openAIError,
  toolSchemaErrorBody,
  type Fault,
  type FaultKind,
  type FaultPlan,
} from './faults.js';
import { renderChatReply, renderResponsesReply } from './render.js';
import { isRawReply, type FakeScript } from './scripts.js';

/**
 * A real OpenAI-compatible HTTP server on a loopback port, for tests and benchmarks: `POST /v1/responses`,
 * `POST /v1/chat/completions`, `GET /v1/models`, OpenAI's error bodies, optional bearer-key check, scripted
 * answers and injected faults. Every request is recorded (the Authorization value never is).
 */

export interface FakeOpenAIServerOptions {
  /** What the model says (see scripts.ts: replay, oracle, fixed, or any function). */
  script: FakeScript;
  /** If set, requests must carry `Authorization: Bearer <apiKey>`; others get OpenAI's 401. */
  apiKey?: string;
  /**
   * Names `GET /v1/models` lists. Given: only these models exist (`GET /v1/models/{id}` answers 404 for others).
   * Left out: the list is `gpt-4.1-2025-04-14`, and `GET /v1/models/{id}` accepts any name, like a permissive proxy.
   */
  models?: string[];
  faults?: FaultPlan;
  host?: string;
  port?: number;
  /**
   * What `requests` keeps: everything (default), everything but bodies (`without_bodies`, for long benchmarks),
   * or nothing (`false`).
   */
  recordRequests?: boolean | 'without_bodies';
}

/** `not_checked`: a key was sent but the server expects none. */
export type AuthorizationCheck = 'absent' | 'matched' | 'mismatched' | 'not_checked';

export interface RecordedRequest {
  /** 0-based, over all requests (recorded or not). */
  index: number;
  method: string;
  path: string;
  /** Lower-cased names; `authorization` is left out (see `authorization`). */
  headers: Record<string, string>;
  authorization: AuthorizationCheck;
  /** Parsed JSON, or the raw text if it was not JSON, or undefined if empty. */
  body: unknown;
  api?: ModelApi;
  /** 0-based, over model requests (`/v1/responses` and `/v1/chat/completions`). */
  modelRequestIndex?: number;
  fault?: FaultKind;
  /** The status answered; undefined when the connection was dropped or the client left first. */
  status?: number;
}

export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** The requests to `/v1/responses` and `/v1/chat/completions`. */
  modelRequests(): RecordedRequest[];
  /** Model requests being handled right now, and the most there have been at once. */
  concurrency(): { inFlight: number; maxInFlight: number };
  /** Installs a fault plan (its request indices count from now); undefined removes it. */
  setFaults(plan: FaultPlan | undefined): void;
  setScript(script: FakeScript): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['gpt-4.1-2025-04-14'];
const DEFAULT_RETRY_AFTER_SECONDS = 1;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function checkAuthorization(header: string | undefined, expectedKey: string | undefined): AuthorizationCheck {
  if (header === undefined) return 'absent';
  if (expectedKey === undefined) return 'not_checked';
  return header === `Bearer ${expectedKey}` ? 'matched' : 'mismatched';
}

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let script = options.script;
  let schedule = new FaultSchedule(options.faults);
  let requestCount = 0;
  let modelRequestCount = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const models = options.models ?? DEFAULT_MODELS;

  function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    record.status = status;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'x-request-id': `req_${randomBytes(16).toString('hex')}`,
      ...headers,
    });
    res.end(text);
  }

  /** Resolves true after `ms`, or false as soon as the client goes away. */
  function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.once('close', onClose);
    });
  }

  function retryAfterHeaders(seconds: number | undefined): Record<string, string> {
    return seconds === undefined ? {} : { 'retry-after': String(seconds) };
  }

  /** Answers with the fault; returns false when the request should then be answered normally (`slow`). */
  async function applyFault(fault: Fault, api: ModelApi, body: JsonObject, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean> {
    switch (fault.kind) {
      case 'rate_limit':
        send(res, record, 429, RATE_LIMIT_BODY, {
          ...retryAfterHeaders(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS),
          'x-ratelimit-limit-tokens': '30000',
          'x-ratelimit-remaining-tokens': '0',
        });
        return true;
      case 'server_error':
        send(res, record, 500, SERVER_ERROR_BODY, retryAfterHeaders(fault.retryAfterSeconds));
        return true;
      case 'service_unavailable':
        send(res, record, 503, SERVICE_UNAVAILABLE_BODY, retryAfterHeaders(fault.retryAfterSeconds));
        return true;
      case 'drop_connection': {
        if (fault.when === 'mid_body') {
          const text = JSON.stringify({ id: `resp_${randomBytes(8).toString('hex')}`, object: 'response', output: [], padding: 'x'.repeat(256) });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
          res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        } else {
          req.socket.destroy();
        }
        return true;
      }
      case 'slow':
        return !(await waitUnlessClosed(res, fault.delayMs));
      case 'malformed_json':
        send(res, record, 200, '{"id": "resp_truncated", "object": "response", "output": [{"type": "message", "content": [');
        return true;
      case 'hang':
        await waitUnlessClosed(res, 24 * 60 * 60 * 1000);
        return true;
      case 'held':
        await Promise.race([fault.release, new Promise((resolve) => res.once('close', resolve))]);
        return res.destroyed;
      case 'garbage':
        send(res, record, 200, '<html><body>502 Bad Gateway (from a proxy that answered 200)</body></html>');
        return true;
      case 'oversized': {
        const filler = 'x'.repeat(Math.max(0, fault.bytes - 200));
        send(res, record, 200, JSON.stringify({ id: 'resp_oversized', object: 'response', status: 'completed', output: [{ type: 'message', id: 'msg_big', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: filler, annotations: [] }] }] }));
        return true;
      }
      case 'deeply_nested':
        send(res, record, 200, `{"id":"resp_deep","object":"response","output":[],"metadata":{"x":${'['.repeat(fault.depth)}${']'.repeat(fault.depth)}}}`);
        return true;
      case 'unauthorized':
        send(res, record, 401, openAIError('Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'));
        return true;
      case 'tool_schema_error': {
        const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
        const names = tools.map((tool) => String(isObject(tool.function) ? tool.function.name : tool.name));
        const toolIndex = fault.toolIndex ?? Math.max(0, names.indexOf('email_send_email'));
        const toolName = names[toolIndex] ?? 'email_send_email';
        send(res, record, fault.status ?? 400, toolSchemaErrorBody(api, toolIndex, toolName, fault.message));
        return true;
      }
    }
  }

  async function handleModelRequest(api: ModelApi, body: unknown, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    if (!isObject(body)) {
      send(res, record, 400, openAIError('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', 'invalid_request_error'));
      return;
    }
    if (body.stream === true) {
      send(res, record, 400, openAIError('fake server: stream=true is not supported', 'invalid_request_error', null, 'stream'));
      return;
    }
    record.api = api;
    record.modelRequestIndex = modelRequestCount;
    modelRequestCount += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => (inFlight -= 1));
    const fault = schedule.next(api, body);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, api, body, req, res, record)) return;
    }
    let reply;
    try {
      reply = await script(describeRequest(api, body, record.modelRequestIndex));
    } catch (error) {
      send(res, record, 500, openAIError(`fake server: the script failed: ${error instanceof Error ? error.message : String(error)}`, 'server_error'));
      return;
    }
    if (isRawReply(reply)) send(res, record, reply.raw.status, reply.raw.body, reply.raw.headers);
    else send(res, record, 200, api === 'responses' ? renderResponsesReply(reply, body) : renderChatReply(reply, body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    let body: unknown = text === '' ? undefined : text;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
      body = parsed;
    } catch {
      // keep the raw text in the record
    }
    const recording = options.recordRequests ?? true;
    const record: RecordedRequest = {
      index: requestCount,
      method,
      path,
      headers: recordedHeaders(req),
      authorization: checkAuthorization(req.headers.authorization, options.apiKey),
      body: recording === 'without_bodies' ? undefined : body,
    };
    requestCount += 1;
    if (recording !== false) requests.push(record);

    if (options.apiKey !== undefined && record.authorization !== 'matched') {
      const message =
        record.authorization === 'absent'
          ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
          : 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.';
      send(res, record, 401, openAIError(message, 'invalid_request_error', record.authorization === 'absent' ? null : 'invalid_api_key'));
      return;
    }

    if (method === 'POST' && path === '/v1/responses') return handleModelRequest('responses', parsed, req, res, record);
    if (method === 'POST' && path === '/v1/chat/completions') return handleModelRequest('chat', parsed, req, res, record);
    if (method === 'GET' && path === '/v1/models') {
      send(res, record, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1744316542, owned_by: 'system' })) });
      return;
    }
    const modelMatch = method === 'GET' ? /^\/v1\/models\/(.+)$/.exec(path) : null;
    if (modelMatch && (options.models === undefined || models.includes(decodeURIComponent(modelMatch[1]!)))) {
      send(res, record, 200, { id: decodeURIComponent(modelMatch[1]!), object: 'model', created: 1744316542, owned_by: 'system' });
      return;
    }
    send(res, record, 404, openAIError(`Invalid URL (${method} ${path})`, 'invalid_request_error'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(openAIError(`fake server error: ${String(error)}`, 'server_error')));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    modelRequests: () => requests.filter((request) => request.api !== undefined),
    concurrency: () => ({ inFlight, maxInFlight }),
    setFaults(plan) {
      schedule = new FaultSchedule(plan);
    },
    setScript(next) {
      script = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
