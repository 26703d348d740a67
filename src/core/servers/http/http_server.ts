import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../logger';
import { registerInProcessServer, unregisterInProcessServer, type InProcessRequest, type InProcessResponse, type InProcessServer } from './in_process';
import { parseCookieHeader, SessionCookieCodec } from './session_cookie';
import { stripRolloutPrefix, type RolloutPrefixRule } from './rollout_path';

export interface HttpRequestContext {
  method: string;
  /** Percent-decoded path, as Starlette matches routes. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as a value when an in-process caller passed one (read-only); otherwise parse `body`. */
  json?: unknown;
  /** This server's session id (from its signed cookie, or fresh). */
  sessionId: string;
  /** Every cookie the client sent (agents forward them to peers). */
  cookies: Map<string, string>;
  /** Aborted when the client goes away before the answer. */
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Serialized body; may be left out when `json` is given (it is then serialised for HTTP callers only). */
  body?: string | Buffer;
  json?: unknown;
  /** How `json` is serialised when the text is needed (default JSON.stringify), e.g. with Python's float fields. */
  jsonText?: () => string;
  contentType?: string;
  /** Extra `Set-Cookie` lines (the session cookie is always added). */
  setCookies?: string[];
  headers?: Record<string, string>;
}

export type RouteHandler = (context: HttpRequestContext) => Promise<HttpResponse> | HttpResponse;

export interface HttpServerOptions {
  /** `<ClassName>___<server name>`: cookie name and identity in error messages. */
  identity: string;
  logger: Logger;
  /** Requests with larger bodies get HTTP 413. */
  maxBodyBytes?: number;
  /** Idle keep-alive connections are closed after this (uvicorn: 5 s; NeMo Gym ≥ 0.4: 30 s). */
  keepAliveTimeoutMs?: number;
  /**
   * A client must deliver its whole request (headers and body) within this; a slower one gets HTTP 408 and its
   * connection is closed, so a trickling client cannot hold a connection forever. Answers may take as long as
   * they need.
   */
  requestTimeoutMs?: number;
  /** How often the request deadlines above are checked (Node's default: 30 s). */
  connectionsCheckingIntervalMs?: number;
  /** False for NeMo Gym's head server, which has no session middleware: no cookie, no `vary`. Default true. */
  sessionCookies?: boolean;
  /** Which `/ng-rollout/<id>` prefixes are removed before routing (see rollout_path.ts); none by default. */
  rolloutPrefix?: RolloutPrefixRule;
}

/** A thrown HttpError becomes its response as is; anything else becomes a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export function jsonResponse(status: number, bodyText: string, setCookies?: string[]): HttpResponse {
  return { status, body: bodyText, contentType: 'application/json', ...(setCookies ? { setCookies } : {}) };
}

/**
 * A small HTTP server with FastAPI's observable behaviour where NeMo Gym clients can see it: JSON bodies,
 * `{"detail":"Not Found"}` / `{"detail":"Method Not Allowed"}`, a JSON-string 500 body, a session cookie on
 * every response, and `GET /` liveness.
 */
export class NemoHttpServer implements InProcessServer {
  private readonly routes = new Map<string, Map<string, RouteHandler>>();
  private catchAllPost: RouteHandler | null = null;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  readonly cookies: SessionCookieCodec;
  private readonly maxBodyBytes: number;
  private origin: string | null = null;

  constructor(private readonly options: HttpServerOptions) {
    this.cookies = new SessionCookieCodec(options.identity);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.server = createServer(
      { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 30_000 },
      (request, response) => {
        this.handle(request, response).catch((error: unknown) => this.lastResort(response, error));
      },
    );
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 30_000;
    this.server.on('connection', (socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.route('GET', '/', () => jsonResponse(200, '{"status":"ok"}'));
  }

  route(method: 'GET' | 'POST', path: string, handler: RouteHandler): void {
    let byMethod = this.routes.get(path);
    if (!byMethod) this.routes.set(path, (byMethod = new Map()));
    byMethod.set(method, handler);
  }

  /** `POST /{name}` for any single path segment without a more specific route (registered last in FastAPI). */
  catchAll(handler: RouteHandler): void {
    this.catchAllPost = handler;
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.origin = this.url;
    registerInProcessServer(this.origin, this);
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error(`${this.options.identity} is not listening`);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, lets in-flight requests finish for `graceMs`, then drops every connection. */
  async close(graceMs = 500): Promise<void> {
    if (this.origin) unregisterInProcessServer(this.origin, this);
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const abort = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    const method = request.method ?? 'GET';
    const { path, query } = this.splitTarget(request.url ?? '/');
    const handler = this.findHandler(method, path);
    let body: Buffer;
    try {
      body = isRefusal(handler) ? (request.resume(), Buffer.alloc(0)) : await readBody(request, this.maxBodyBytes);
    } catch (error) {
      const answer = this.answer(request.headers, this.errorResponse(error), null);
      if (!response.destroyed) this.write(response, answer);
      return;
    }
    const answer = await this.respond(method, path, query, request.headers, body, abort.signal, handler);
    if (!response.destroyed) this.write(response, answer);
  }

  /** The same answer as over HTTP, for a caller in this process (see in_process.ts). */
  async dispatchInProcess(request: InProcessRequest): Promise<InProcessResponse> {
    const { path, query } = this.splitTarget(request.target);
    const handler = this.findHandler(request.method, path);
    if (!isRefusal(handler) && request.body.length > this.maxBodyBytes) {
      return this.answer(request.headers, this.errorResponse(new BodyTooLargeError(`Request body too large: ${request.body.length} bytes exceeds the limit of ${this.maxBodyBytes} bytes`)), null);
    }
    return this.respond(request.method, path, query, request.headers, request.body, request.signal, handler, request.json);
  }

  private async respond(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
    signal: AbortSignal,
    handler: RouteHandler | Refusal,
    json?: unknown,
  ): Promise<InProcessResponse> {
    const cookies = parseCookieHeader(headers.cookie);
    const cookieValue = cookies.get(this.cookies.cookieName);
    const sessionId = this.cookies.decode(cookieValue) ?? this.cookies.newSessionId();
    let result: HttpResponse;
    try {
      result = isRefusal(handler)
        ? handler.status === 404
          ? jsonResponse(404, '{"detail":"Not Found"}')
          : { ...jsonResponse(405, '{"detail":"Method Not Allowed"}'), headers: { allow: handler.allow } }
        : await handler({ method, path, query, headers, body, ...(json !== undefined ? { json } : {}), sessionId, cookies, signal });
    } catch (error) {
      result = this.errorResponse(error, signal.aborted ? `${method} ${path}` : null);
    }
    return this.answer(headers, result, { sessionId, cookieValue });
  }

  private answer(_headers: IncomingHttpHeaders, result: HttpResponse, session: { sessionId: string; cookieValue: string | undefined } | null): InProcessResponse {
    const headers: IncomingHttpHeaders = { 'content-type': result.contentType ?? 'application/json' };
    if (this.options.sessionCookies !== false) {
      const sessionId = session?.sessionId ?? this.cookies.newSessionId();
      // Starlette's SessionMiddleware: every answer sets the session cookie, and says it varies with Cookie.
      headers.vary = 'Cookie';
      headers['set-cookie'] = [this.cookies.setCookieHeader(sessionId, session?.cookieValue), ...(result.setCookies ?? [])];
    } else if (result.setCookies?.length) {
      headers['set-cookie'] = result.setCookies;
    }
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
    if (result.status === 413) headers.connection = 'close';
    return {
      status: result.status,
      headers,
      ...(result.body !== undefined ? { body: result.body } : {}),
      ...(result.json !== undefined ? { json: result.json } : {}),
      ...(result.jsonText ? { jsonText: result.jsonText } : {}),
    };
  }

  private write(response: ServerResponse, answer: InProcessResponse): void {
    let body: string | Buffer;
    try {
      body = answer.body ?? (answer.jsonText ? answer.jsonText() : JSON.stringify(answer.json ?? null));
    } catch (error) {
      // A value too deep (or cyclic) to serialise: a defect upstream of here, never a reason to die.
      this.options.logger.error(`${this.options.identity}: could not serialise the answer: ${describeError(error)}`);
      answer = { ...answer, status: 500, headers: { ...answer.headers, 'content-type': 'application/json' } };
      body = JSON.stringify(`${this.options.identity} could not serialise its answer: ${describeError(error)}`);
    }
    response.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) response.setHeader(name, value);
    response.setHeader('content-length', Buffer.byteLength(body));
    response.end(body);
  }

  /** Whatever escaped `handle` (it should not): log it, answer 500 if still possible, keep serving. */
  private lastResort(response: ServerResponse, error: unknown): void {
    this.options.logger.error(`${this.options.identity}: ${describeError(error)}`);
    if (response.destroyed || response.writableEnded) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const body = JSON.stringify('Internal Server Error');
    response.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  /** Starlette's routing: the first route whose path matches answers 405 with its methods when the method does not. */
  private findHandler(method: string, path: string): RouteHandler | Refusal {
    const byMethod = this.routes.get(path);
    // Starlette serves HEAD wherever it serves GET.
    const lookup = method === 'HEAD' ? 'GET' : method;
    if (byMethod) {
      const handler = byMethod.get(lookup);
      if (handler) return handler;
      if (method === 'POST' && this.catchAllPost && isSingleSegment(path)) return this.catchAllPost;
      return { status: 405, allow: allowedMethods(byMethod) };
    }
    if (this.catchAllPost && isSingleSegment(path)) return method === 'POST' ? this.catchAllPost : { status: 405, allow: 'POST' };
    return { status: 404 };
  }

  private splitTarget(target: string): { path: string; query: URLSearchParams } {
    const split = splitTarget(target);
    return this.options.rolloutPrefix ? { ...split, path: stripRolloutPrefix(split.path, this.options.rolloutPrefix) } : split;
  }

  /** `abandoned`: the request the error belongs to, when its client already went away (nothing to report). */
  private errorResponse(error: unknown, abandoned: string | null = null): HttpResponse {
    if (error instanceof HttpError) return { ...jsonResponse(error.status, error.body), headers: error.headers };
    if (error instanceof BodyTooLargeError) {
      return jsonResponse(413, JSON.stringify({ detail: error.message }));
    }
    if (error instanceof RequestAbortedError) return jsonResponse(400, JSON.stringify({ detail: error.message }));
    const message = error instanceof Error ? `${error.name}(${JSON.stringify(error.message)})` : 'An unknown error occurred';
    if (abandoned) this.options.logger.debug(`${this.options.identity}: ${abandoned} stopped, its client went away (${describeError(error)})`);
    else {
      this.options.logger.error(`${this.options.identity}: ${describeError(error)}`);
      if (error instanceof Error && error.stack) this.options.logger.debug(error.stack);
    }
    return jsonResponse(500, JSON.stringify(message));
  }
}

/** No route takes the request: 404, or 405 with the `allow` header of the route that matched the path. */
type Refusal = { status: 404 } | { status: 405; allow: string };

function isRefusal(handler: RouteHandler | Refusal): handler is Refusal {
  return typeof handler !== 'function';
}

/** The `allow` header of a path's routes: Starlette lists a GET route as `GET, HEAD`. */
function allowedMethods(byMethod: ReadonlyMap<string, RouteHandler>): string {
  return [...byMethod.keys()].flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])).join(', ');
}

class BodyTooLargeError extends Error {}

/** The client went away, or missed the request deadline, before its body arrived. */
class RequestAbortedError extends Error {}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function isSingleSegment(path: string): boolean {
  return path.length > 1 && path.indexOf('/', 1) === -1;
}

function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  return { path, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limit) {
    request.resume();
    return Promise.reject(new BodyTooLargeError(`Request body too large: ${declared} bytes exceeds the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError(`Request body too large: more than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new RequestAbortedError('The request ended before its whole body arrived.'));
    });
  });
}
