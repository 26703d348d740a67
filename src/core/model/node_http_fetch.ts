import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { findExcessiveNesting, MAX_JSON_DEPTH } from '../json_limits';
import { describeProxy, readProxyEnvironment, type ProxyEnvironment, type ProxyTarget } from './proxy_env';

export interface NodeHttpFetchOptions {
  maxSockets?: number;
  /** Answers larger than this are not read (default {@link DEFAULT_MAX_ANSWER_BYTES}). */
  maxAnswerBytes?: number;
  /** Where the proxy variables are read, once (proxy_env.ts); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Extra trusted certificate authorities (PEM), e.g. a private endpoint's; the system's stay trusted. */
  ca?: string | Buffer;
}

type Protocol = 'http:' | 'https:';

/** Far above any model answer (128k tokens of text is under 1 MB), far below what would exhaust memory. */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** An upstream answer refused before it reached the SDK: too large to hold, or nested too deep to handle. */
export class UpstreamAnswerRejected extends Error {
  constructor(
    readonly reason: 'too_large' | 'too_deep',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamAnswerRejected';
  }
}

/**
 * A `fetch` for the `openai` SDK over node:http(s) with keep-alive agents. The SDK only needs a request with a
 * string body and a complete Response; this path skips the WHATWG stream machinery of the built-in fetch, which
 * costs about a tenth of the CPU of a collection against a fast endpoint, and has no 300 s header deadline of
 * its own (the SDK's `timeout` applies). A connection that breaks mid-answer rejects like any network error, so
 * the SDK retries it.
 *
 * The standard proxy variables are honoured (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; see proxy_env.ts): an https URL
 * goes through an HTTP CONNECT tunnel, an http URL to the proxy with its absolute URL. With no proxy variable
 * set, requests take the direct agents and nothing else. Messages name a proxy without its credentials.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const maxSockets = options.maxSockets ?? 256;
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets }),
  };
  const proxies = readProxyEnvironment(options.env ?? process.env);
  const proxied = proxies ? proxyAgents(proxies, maxSockets) : null;
  const tlsOptions = options.ca ? { ca: options.ca } : {};
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const protocol = url.protocol as Protocol;
      if (!(protocol in agents)) {
        reject(new TypeError(`fetch: unsupported protocol ${url.protocol}`));
        return;
      }
      const route = proxied?.(url, protocol) ?? null;
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
      const body = typeof init?.body === 'string' ? Buffer.from(init.body) : init?.body == null ? null : undefined;
      if (body === undefined) {
        reject(new TypeError('fetch: only string bodies are supported'));
        return;
      }
      if (body) headers['content-length'] = String(body.length);
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const agent = route?.agent ?? agents[protocol];
      let refusedBy: string | null = null;
      const req = send(url, { method: init?.method ?? 'GET', headers, agent, ...tlsOptions, ...(init?.signal ? { signal: init.signal } : {}) }, (res) => {
        // A proxy that will not carry the request: its answer is not the endpoint's (407 asks for credentials).
        if (route && (refusedBy !== null || res.statusCode === 407)) {
          res.resume();
          reject(networkError(refusedBy ?? `the proxy ${describeProxy(route.proxy)} (${route.proxy.variable}) refused the request to ${url.host}: HTTP 407 ${res.statusMessage ?? ''}`.trim()));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const refuse = (rejection: UpstreamAnswerRejected) => {
          reject(new TypeError('fetch failed', { cause: rejection }));
          req.destroy();
        };
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > maxAnswerBytes) {
          refuse(tooLarge(declared, maxAnswerBytes));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxAnswerBytes) refuse(tooLarge(size, maxAnswerBytes));
          else chunks.push(chunk);
        });
        res.once('aborted', () => reject(networkError('the connection closed mid-answer')));
        res.once('error', (error) => reject(networkError(error.message, error)));
        res.once('end', () => {
          if (!res.complete) {
            reject(networkError('the connection closed mid-answer'));
            return;
          }
          const status = res.statusCode ?? 0;
          const nullBody = status === 204 || status === 304 || init?.method === 'HEAD';
          const body = Buffer.concat(chunks);
          const tooDeep = findExcessiveNesting(body);
          if (tooDeep) {
            refuse(new UpstreamAnswerRejected('too_deep', `the answer nests JSON deeper than ${MAX_JSON_DEPTH} levels`));
            return;
          }
          resolve(new Response(nullBody ? null : body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res.headers) }));
        });
      });
      if (route) {
        req.once('proxyConnect', (connect: { statusCode?: number; statusText?: string }) => {
          if (connect.statusCode !== undefined && connect.statusCode !== 200) {
            refusedBy = `the proxy ${describeProxy(route.proxy)} (${route.proxy.variable}) refused the tunnel to ${url.host}: HTTP ${connect.statusCode} ${connect.statusText ?? ''}`.trim();
          }
        });
      }
      req.once('error', (error) => {
        if (init?.signal?.aborted) reject(init.signal.reason ?? error);
        else if (route) {
          const detail = throughProxy(error, route.proxy);
          reject(networkError(detail.message, detail));
        } else reject(networkError(error.message, error));
      });
      req.end(body ?? undefined);
    });
}

interface ProxyRoute {
  proxy: ProxyTarget;
  agent: HttpProxyAgent<string> | HttpsProxyAgent<string>;
}

/** The agent for a URL that goes through a proxy (one keep-alive agent per proxy and protocol), else null. */
function proxyAgents(proxies: ProxyEnvironment, maxSockets: number): (url: URL, protocol: Protocol) => ProxyRoute | null {
  const made = new Map<string, ProxyRoute>();
  return (url, protocol) => {
    const proxy = proxies.proxyFor(url);
    if (!proxy) return null;
    const key = `${protocol}${proxy.url.href}`;
    let route = made.get(key);
    if (!route) {
      // The agents get the proxy's address without credentials; the credentials go in a header only.
      const agentOptions = { keepAlive: true, maxSockets, headers: proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {} };
      const agent = protocol === 'https:' ? new HttpsProxyAgent(proxy.url.href, agentOptions) : new HttpProxyAgent(proxy.url.href, agentOptions);
      route = { proxy, agent };
      made.set(key, route);
    }
    return route;
  };
}

/** The error, saying which proxy it came through (never with its credentials); its code is kept. */
function throughProxy(error: NodeJS.ErrnoException, proxy: ProxyTarget): Error {
  const detail: NodeJS.ErrnoException = new Error(`${error.message} (through the proxy ${describeProxy(proxy)} from ${proxy.variable})`, { cause: error });
  if (error.code) detail.code = error.code;
  return detail;
}

function tooLarge(size: number, limit: number): UpstreamAnswerRejected {
  return new UpstreamAnswerRejected('too_large', `the answer is larger than ${mebibytes(limit)} (at least ${mebibytes(size)}); raise max_answer_mb in the model server's config if that is expected`);
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 3 : 1)} MiB`;
}

function responseHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Shaped like the built-in fetch's failure (`TypeError: fetch failed` with a cause), which the SDK recognises. */
function networkError(message: string, cause?: Error): TypeError {
  return new TypeError('fetch failed', { cause: cause ?? new Error(message) });
}
