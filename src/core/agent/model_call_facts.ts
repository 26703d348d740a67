/**
 * The facts NeMo Gym's model-call capture derives from one exchange (nemo_gym/base_responses_api_model.py:
 * `extract_token_stats`, `_cache_signal`, `build_model_call_record`, `_classify_status`, `_classify_exception`),
 * computed the same way from what our agent sees.
 */
import { isJsonObject } from '../json_object';
import type { TrajectoryTokenStats } from '../schema/trajectory_record';
import { HttpCallError } from '../servers/http/http_client';
import { InnerServerError } from '../servers/http/inner_server_error';

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** The first valid count among equivalent provider detail shapes. */
function detailCount(usage: Record<string, unknown>, groups: string[], fields: string[]): number | null {
  for (const group of groups) {
    const details = usage[group];
    if (!isJsonObject(details)) continue;
    for (const field of fields) {
      const value = tokenCount(details[field]);
      if (value !== null) return value;
    }
  }
  return null;
}

/** Token counts of one call from its `usage` (Responses, Chat Completions or Anthropic shapes); unknown is null, not 0. */
export function tokenStatsOf(usage: unknown): TrajectoryTokenStats {
  if (!isJsonObject(usage)) return { prompt_tokens: null, completion_tokens: null, reasoning_tokens: null, total_tokens: null, cached_tokens: null };
  let prompt = tokenCount(usage.input_tokens) ?? tokenCount(usage.prompt_tokens);
  const completion = tokenCount(usage.output_tokens) ?? tokenCount(usage.completion_tokens);
  const cacheRead = tokenCount(usage.cache_read_input_tokens);
  const cacheCreation = tokenCount(usage.cache_creation_input_tokens);
  if (cacheRead !== null || cacheCreation !== null) {
    // Anthropic's input_tokens leave the cached part out.
    const cacheTotal = (cacheRead ?? 0) + (cacheCreation ?? 0);
    if (prompt !== null || cacheTotal > 0) prompt = (prompt ?? 0) + cacheTotal;
  }
  let total = tokenCount(usage.total_tokens);
  if (total === null && prompt !== null && completion !== null) total = prompt + completion;
  const reasoning = detailCount(usage, ['output_tokens_details', 'completion_tokens_details'], ['reasoning_tokens']) ?? tokenCount(usage.reasoning_output_tokens);
  const cached = detailCount(usage, ['prompt_tokens_details', 'input_tokens_details'], ['cached_tokens', 'cached_input_tokens'])
    ?? cacheRead
    ?? tokenCount(usage.cached_input_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, reasoning_tokens: reasoning, total_tokens: total, cached_tokens: cached };
}

/** `stop_reason` (Anthropic), the first choice's `finish_reason` (Chat Completions), `incomplete_details.reason` (Responses). */
export function finishReasonOf(response: Record<string, unknown>): string | null {
  const choices = response.choices;
  const firstChoice = Array.isArray(choices) && isJsonObject(choices[0]) ? choices[0] : {};
  const incomplete = isJsonObject(response.incomplete_details) ? response.incomplete_details : {};
  for (const value of [response.stop_reason, firstChoice.finish_reason, incomplete.reason]) {
    if (typeof value === 'string') return value;
  }
  return null;
}

/** NeMo Gym's error category of an HTTP status (null below 400). */
export function classifyStatus(status: number): string | null {
  if (status < 400) return null;
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status < 500) return 'client_error';
  return 'upstream_error';
}

/** NeMo Gym's error category of a call that got no HTTP answer. */
export function classifyModelCallFailure(error: unknown): string {
  if (error instanceof HttpCallError) return error.kind === 'timeout' ? 'timeout' : error.kind === 'connection' ? 'connection' : 'exception';
  if (error instanceof InnerServerError) return error.failureClass === 'model_timeout' ? 'timeout' : error.failureClass === 'connection_error' ? 'connection' : 'exception';
  const name = error instanceof Error ? error.name.toLowerCase() : '';
  if (name.includes('timeout')) return 'timeout';
  if (name.includes('conn')) return 'connection';
  return 'exception';
}
