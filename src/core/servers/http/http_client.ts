import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { inProcessServerFor, type InProcessServer } from './in_process';
import { cookieHeader, cookiesFromSetCookie } from './session_cookie';

export interface HttpCallOptions {
  /** Cookies to send (forwarded by hand, never from a shared jar). */
  cookies?: ReadonlyMap<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * The body as a value: sent as is to a server in this process (no serialising), as JSON text otherwise.
   * Use with a null body text.
   */
  json?: unknown;
}

export interface HttpCallResult {
  status: number;
  /** The answer's text (serialised on first use when a server in this process answered a value). */
  readonly bodyText: string;
  /** The answer as a value, when a server in this process gave one (read-only). */
  json?: unknown;
  /** Cookies the server set. */
  setCookies: Map<string, string>;
  headers: IncomingHttpHeaders;
}

export type HttpCallFailureKind = 'connection' | 'timeout' | 'cancelled';

/** The request never produced an HTTP answer. */
export class HttpCallError extends Error {
  constructor(
    readonly kind: HttpCallFailureKind,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpCallError';
  }
}

/** A keep-alive JSON client for calls between servers (loopback, many small requests). */
export class HttpClient {
  private readonly agent: Agent;
  private readonly inProcess: boolean;

  /**
   * `inProcess`: hand requests for servers listening in this process straight to them (same answers, no
   * socket); requests to anything else still go over HTTP.
   */
  constructor(options: { maxSockets?: number; inProcess?: boolean } = {}) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 1024, keepAliveMsecs: 10_000 });
    this.inProcess = options.inProcess ?? false;
  }

  post(url: string, bodyText: string | null, options: HttpCallOptions = {}): Promise<HttpCallResult> {
    return this.send('POST', url, bodyText, options);
  }

  /** POST a value: handed over as is in-process, JSON text over HTTP. */
  postJson(url: string, value: unknown, options: HttpCallOptions = {}): Promise<HttpCallResult> {
    return this.send('POST', url, null, { ...options, json: value });
  }

  get(url: string, options: HttpCallOptions = {}): Promise<HttpCallResult> {
    return this.send('GET', url, null, options);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, url: string, bodyText: string | null, options: HttpCallOptions): Promise<HttpCallResult> {
    if (this.inProcess) {
      const parsed = new URL(url);
      const server = inProcessServerFor(parsed);
      if (server) return this.sendInProcess(server, method, parsed, bodyText, options);
    }
    if (bodyText === null && options.json !== undefined) bodyText = JSON.stringify(options.json);
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new HttpCallError('cancelled', url, `${method} ${url} was cancelled`));
        return;
      }
      const headers: Record<string, string | number> = { accept: 'application/json', ...options.headers };
      const body = bodyText === null ? null : Buffer.from(bodyText);
      if (body) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = body.length;
      }
      if (options.cookies && options.cookies.size > 0) headers.cookie = cookieHeader(options.cookies);
      let settled = false;
      const fail = (error: HttpCallError) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(error);
      };
      const req = httpRequest(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({
            status: response.statusCode ?? 0,
            bodyText: Buffer.concat(chunks).toString('utf8'),
            setCookies: cookiesFromSetCookie(response.headers['set-cookie']),
            headers: response.headers,
          });
        });
        response.once('error', (error) => fail(new HttpCallError('connection', url, `${method} ${url}: ${error.message}`)));
        response.once('aborted', () => fail(new HttpCallError('connection', url, `${method} ${url}: the connection closed mid-answer`)));
      });
      const onAbort = () => fail(new HttpCallError('cancelled', url, `${method} ${url} was cancelled`));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const timer =
        options.timeoutMs && options.timeoutMs > 0
          ? setTimeout(() => fail(new HttpCallError('timeout', url, `${method} ${url}: no answer within ${options.timeoutMs} ms`)), options.timeoutMs)
          : null;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      req.once('error', (error: NodeJS.ErrnoException) =>
        fail(new HttpCallError('connection', url, `${method} ${url}: ${error.code ?? error.message}`)),
      );
      req.end(body ?? undefined);
    });
  }

  private async sendInProcess(server: InProcessServer, method: string, url: URL, bodyText: string | null, options: HttpCallOptions): Promise<HttpCallResult> {
    if (options.signal?.aborted) throw new HttpCallError('cancelled', url.href, `${method} ${url.href} was cancelled`);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (bodyText !== null || options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.cookies && options.cookies.size > 0) headers.cookie = cookieHeader(options.cookies);
    try {
      const answer = server.dispatchInProcess({
        method,
        target: `${url.pathname}${url.search}`,
        headers,
        body: bodyText === null ? Buffer.alloc(0) : Buffer.from(bodyText),
        ...(options.json !== undefined ? { json: options.json } : {}),
        signal: abort.signal,
      });
      const stopped = new Promise<never>((_, reject) => {
        if (options.timeoutMs && options.timeoutMs > 0) {
          timer = setTimeout(() => {
            // Reject as a timeout first: aborting the handler below also fires the cancellation path.
            reject(new HttpCallError('timeout', url.href, `${method} ${url.href}: no answer within ${options.timeoutMs} ms`));
            abort.abort();
          }, options.timeoutMs);
        }
        abort.signal.addEventListener('abort', () => reject(new HttpCallError('cancelled', url.href, `${method} ${url.href} was cancelled`)), { once: true });
      });
      const response = await Promise.race([answer, stopped]);
      let text = response.body === undefined ? undefined : typeof response.body === 'string' ? response.body : response.body.toString('utf8');
      return {
        status: response.status,
        get bodyText() {
          text ??= response.jsonText ? response.jsonText() : JSON.stringify(response.json ?? null);
          return text;
        },
        ...(response.json !== undefined ? { json: response.json } : {}),
        setCookies: cookiesFromSetCookie(response.headers['set-cookie']),
        headers: response.headers,
      };
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
