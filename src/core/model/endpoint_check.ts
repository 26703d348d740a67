import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { createNodeHttpFetch } from './node_http_fetch';
import { redactSecrets, redactUrl } from './redact';

/** A model server's upstream, as configured. */
export interface PolicyEndpoint {
  /** The model server's name in the config (e.g. `policy_model`). */
  serverName: string;
  baseURL: string;
  /** Null when the config gives none (or an empty one, e.g. from an unset environment variable). */
  apiKey: string | null;
  model: string;
  defaultHeaders?: Record<string, string>;
}

/**
 * - `ok`: the endpoint accepted the key and knows the model (or cannot list models, which many servers can't);
 * - `misconfigured`: a key, permission or model problem every rollout would hit;
 * - `unreachable`: nothing answered (refused, unknown host, no answer in time).
 */
export type EndpointCheck =
  | { status: 'ok'; note?: string }
  | { status: 'misconfigured'; problem: string }
  | { status: 'unreachable'; problem: string };

const CHECK_TIMEOUT_MS = 10_000;
const LISTED_MODELS = 15;

/**
 * Checks a policy endpoint before a long run, with one cheap request (`GET /models`, then `GET /models/{model}` if
 * the list lacks the model), so a missing key, a rejected key, a wrong URL or an unknown model is reported once,
 * at start, instead of rollout by rollout. Messages never contain the key.
 */
export async function checkPolicyEndpoint(endpoint: PolicyEndpoint, options: { timeoutMs?: number } = {}): Promise<EndpointCheck> {
  const client = new OpenAI({
    baseURL: endpoint.baseURL,
    apiKey: endpoint.apiKey ?? 'EMPTY',
    defaultHeaders: endpoint.defaultHeaders,
    maxRetries: 0,
    timeout: options.timeoutMs ?? CHECK_TIMEOUT_MS,
    fetch: createNodeHttpFetch({ maxSockets: 2 }),
    logLevel: 'off',
  });
  const where = `${endpoint.serverName} (${redactUrl(endpoint.baseURL)})`;
  const clean = (text: string) => redactSecrets(text, [endpoint.apiKey ?? undefined]);
  let listed: string[];
  try {
    const page = await client.models.list();
    listed = page.data.map((model) => model.id);
  } catch (error) {
    const verdict = judgeFailure(error, endpoint, where, clean);
    if (verdict) return verdict;
    return { status: 'ok', note: `${where} cannot list its models, so the model name was not checked.` };
  }
  if (listed.length === 0 || listed.includes(endpoint.model)) return okWithKeyNote(endpoint, where);
  try {
    await client.models.retrieve(endpoint.model);
    return okWithKeyNote(endpoint, where);
  } catch (error) {
    const verdict = judgeFailure(error, endpoint, where, clean);
    if (verdict && verdict.status !== 'ok') return verdict;
  }
  const shown = listed.slice(0, LISTED_MODELS).join(', ') + (listed.length > LISTED_MODELS ? `, … (${listed.length} in all)` : '');
  return { status: 'misconfigured', problem: `${where} does not serve the model '${endpoint.model}' (policy_model_name). It serves: ${shown}.` };
}

function okWithKeyNote(endpoint: PolicyEndpoint, where: string): EndpointCheck {
  return endpoint.apiKey === null ? { status: 'ok', note: `No API key is set for ${where}; the endpoint answered without one.` } : { status: 'ok' };
}

/** A verdict for a failed request, or null when the failure says nothing about the configuration (e.g. 404 on /models). */
function judgeFailure(error: unknown, endpoint: PolicyEndpoint, where: string, clean: (text: string) => string): EndpointCheck | null {
  if (error instanceof APIConnectionTimeoutError) return { status: 'unreachable', problem: `${where} did not answer within ${CHECK_TIMEOUT_MS / 1000} s.` };
  if (error instanceof APIConnectionError) {
    const cause = causeCode(error);
    return { status: 'unreachable', problem: clean(`${where} cannot be reached${cause ? `: ${cause}` : ''}. Check policy_base_url and that the endpoint is up.`) };
  }
  if (!(error instanceof APIError)) return null;
  const upstream = clean(upstreamMessage(error));
  if (error.status === 401) {
    return endpoint.apiKey === null
      ? { status: 'misconfigured', problem: `${where} needs an API key, and policy_api_key is empty (is the environment variable that should hold it set?).` }
      : { status: 'misconfigured', problem: `${where} rejected the API key (HTTP 401${upstream ? `: ${upstream}` : ''}). Check policy_api_key.` };
  }
  if (error.status === 403) return { status: 'misconfigured', problem: `${where} refused access with this API key (HTTP 403${upstream ? `: ${upstream}` : ''}).` };
  return null;
}

function upstreamMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : '';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
