import { isRetryableStatus } from '../../retry_policy';
import type { HttpCallResult, HttpClient } from '../http/http_client';
import { HttpCallError } from '../http/http_client';
import { InnerServerError, type PeerFailureClass } from '../http/inner_server_error';
import { UPSTREAM_ATTEMPTS_HEADER } from '../../model/upstream_attempts';

export interface PeerCallTimeouts {
  modelMs?: number;
  toolMs?: number;
  resourcesMs?: number;
}

/**
 * The cookies of one rollout, threaded by hand as NeMo Gym's agent does: resources-server cookies are replaced
 * by each answer's cookies, model-server cookies likewise; never a shared jar.
 */
export class PeerSession {
  resourcesCookies: Map<string, string>;
  modelCookies = new Map<string, string>();

  constructor(
    private readonly client: HttpClient,
    private readonly identity: string,
    initialCookies: ReadonlyMap<string, string>,
    private readonly timeouts: PeerCallTimeouts = {},
  ) {
    this.resourcesCookies = new Map(initialCookies);
  }

  /** `body`: JSON text, or a value (handed over as is to a server in this process). */
  async postResources(url: string, body: string | { json: unknown }, failureClass: PeerFailureClass, signal?: AbortSignal): Promise<HttpCallResult> {
    const result = await this.call(url, body, this.resourcesCookies, this.timeouts.resourcesMs, 'connection_error', signal);
    this.resourcesCookies = mergeCookies(this.resourcesCookies, result.setCookies);
    if (result.status !== 200) {
      // The resources server refusing the row (422: a field missing or malformed) answers the same every time.
      const terminal = result.status >= 400 && result.status < 500 && result.status !== 408 && result.status !== 429;
      throw new InnerServerError(this.identity, result.bodyText, failureClass, terminal);
    }
    return result;
  }

  /** A tool call: the answer body is the tool output whatever its status (NeMo Gym does not check it). */
  async postTool(url: string, bodyText: string | null, signal?: AbortSignal): Promise<{ output: string; status: number }> {
    const result = await this.call(url, bodyText, this.resourcesCookies, this.timeouts.toolMs, 'connection_error', signal);
    this.resourcesCookies = mergeCookies(this.resourcesCookies, result.setCookies);
    return { output: result.bodyText, status: result.status };
  }

  /** The answer and the upstream attempts our model server reported (null from a server that does not say). */
  async postModel(url: string, body: unknown, signal?: AbortSignal): Promise<HttpCallResult & { upstreamAttempts: number | null }> {
    const result = await this.call(url, { json: body }, this.modelCookies, this.timeouts.modelMs, 'model_timeout', signal);
    this.modelCookies = mergeCookies(this.modelCookies, result.setCookies);
    const attemptsHeader = Number(result.headers[UPSTREAM_ATTEMPTS_HEADER]);
    const upstreamAttempts = Number.isInteger(attemptsHeader) && attemptsHeader > 0 ? attemptsHeader : null;
    if (result.status !== 200) {
      // An upstream 4xx (bad key, unknown model, rejected schema) will not get better by retrying; our model
      // server says so in `error.retryable`, a Python one only through its status.
      const terminal = modelFailureIsTerminal(result.status, result.bodyText);
      throw new InnerServerError(this.identity, result.bodyText, result.status === 504 ? 'model_timeout' : 'model_error', terminal, {
        peerStatus: result.status,
        ...(upstreamAttempts !== null ? { upstreamAttempts } : {}),
      });
    }
    return Object.assign(result, { upstreamAttempts });
  }

  /** `Set-Cookie` lines that hand every peer cookie back to our caller. */
  setCookieLines(): string[] {
    return [...this.resourcesCookies, ...this.modelCookies].map(([name, value]) => `${name}=${value}; path=/; samesite=lax`);
  }

  private async call(
    url: string,
    body: string | null | { json: unknown },
    cookies: ReadonlyMap<string, string>,
    timeoutMs: number | undefined,
    timeoutClass: PeerFailureClass,
    signal?: AbortSignal,
  ): Promise<HttpCallResult> {
    try {
      const options = { cookies, ...(timeoutMs ? { timeoutMs } : {}), ...(signal ? { signal } : {}) };
      return await (body !== null && typeof body === 'object' ? this.client.postJson(url, body.json, options) : this.client.post(url, body, options));
    } catch (error) {
      if (error instanceof HttpCallError) {
        if (error.kind === 'cancelled') throw error;
        throw new InnerServerError(this.identity, error.message, error.kind === 'timeout' ? timeoutClass : 'connection_error');
      }
      throw error;
    }
  }
}

function mergeCookies(current: ReadonlyMap<string, string>, update: ReadonlyMap<string, string>): Map<string, string> {
  const merged = new Map(current);
  for (const [name, value] of update) merged.set(name, value);
  return merged;
}

function modelFailureIsTerminal(status: number, bodyText: string): boolean {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const error = (body as { error: unknown }).error;
      if (typeof error === 'object' && error !== null && 'retryable' in error && typeof error.retryable === 'boolean') return !error.retryable;
    }
  } catch {
    // not JSON: decide by status
  }
  return !isRetryableStatus(status);
}
