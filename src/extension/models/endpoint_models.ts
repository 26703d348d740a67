/**
 * The model names to offer for a policy endpoint: the suggested ones for NVIDIA's endpoint, then whatever the
 * endpoint's `GET /v1/models` lists. Editor-free; a failing endpoint only means fewer suggestions.
 */
import { NVIDIA_BASE_URL, SUGGESTED_MODELS } from '../config/settings';

export interface ModelChoice {
  id: string;
  /** Where the suggestion comes from. */
  source: 'suggested' | 'endpoint' | 'current';
}

export async function listEndpointModels(baseUrl: string, apiKey: string | null, options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): Promise<string[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const response = await (options.fetchImpl ?? fetch)(url, {
    headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const body = (await response.json()) as { data?: unknown };
  if (!Array.isArray(body.data)) return [];
  return body.data
    .map((model: unknown) => (model !== null && typeof model === 'object' ? (model as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/** Current first, then the suggestions for NVIDIA's endpoint, then the endpoint's own list; no duplicates. */
export function modelChoices(baseUrl: string, current: string, listed: readonly string[]): ModelChoice[] {
  const choices: ModelChoice[] = [{ id: current, source: 'current' }];
  const isNvidia = baseUrl.replace(/\/+$/, '') === NVIDIA_BASE_URL;
  if (isNvidia) for (const id of SUGGESTED_MODELS) choices.push({ id, source: 'suggested' });
  for (const id of [...listed].sort()) choices.push({ id, source: 'endpoint' });
  const seen = new Set<string>();
  return choices.filter((choice) => !seen.has(choice.id) && seen.add(choice.id));
}
