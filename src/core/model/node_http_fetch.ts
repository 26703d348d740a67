import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { findExcessiveNesting, MAX_JSON_DEPTH } from '../json_limits';

export interface NodeHttpFetchOptions {
  maxSockets?: number;
  /** Answers larger than this are not read (default {@link DEFAULT_MAX_ANSWER_BYTES}). */
  maxAnswerBytes?: number;
}

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
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 }),
  };
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const protocol = url.protocol as 'http:' | 'https:';
      if (!(protocol in agents)) {
        reject(new TypeError(`fetch: unsupported protocol ${url.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
      const body = typeof init?.body === 'string' ? Buffer.from(init.body) : init?.body == null ? null : undefined;
      if (body === undefined) {
        reject(new TypeError('fetch: only string bodies are supported'));
        return;
      }
      if (body) headers['content-length'] = String(body.length);
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: init?.method ?? 'GET', headers, agent: agents[protocol], ...(init?.signal ? { signal: init.signal } : {}) }, (res) => {
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
      req.once('error', (error) => reject(init?.signal?.aborted ? init.signal.reason ?? error : networkError(error.message, error)));
      req.end(body ?? undefined);
    });
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
