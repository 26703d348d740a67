import { describe, expect, it } from 'vitest';
import { classifyModelCallFailure, classifyStatus, finishReasonOf, tokenStatsOf } from '../../../src/core/agent/model_call_facts';
import { HttpCallError } from '../../../src/core/servers/http/http_client';

describe('model-call facts, as NeMo Gym derives them from a captured exchange', () => {
  it('token counts from Responses, Chat Completions and Anthropic usage; unknown stays null', () => {
    expect(tokenStatsOf({ input_tokens: 100, input_tokens_details: { cached_tokens: 64 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 120 })).toEqual({ prompt_tokens: 100, completion_tokens: 20, reasoning_tokens: 5, total_tokens: 120, cached_tokens: 64 });
    expect(tokenStatsOf({ prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } })).toEqual({ prompt_tokens: 10, completion_tokens: 3, reasoning_tokens: 1, total_tokens: 13, cached_tokens: 2 });
    // Anthropic leaves cached tokens out of input_tokens: they are added back.
    expect(tokenStatsOf({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 10, output_tokens: 7 })).toEqual({ prompt_tokens: 115, completion_tokens: 7, reasoning_tokens: null, total_tokens: 122, cached_tokens: 100 });
    expect(tokenStatsOf({ input_tokens: -1, output_tokens: 2.5 })).toEqual({ prompt_tokens: null, completion_tokens: null, reasoning_tokens: null, total_tokens: null, cached_tokens: null });
    expect(tokenStatsOf(null).total_tokens).toBeNull();
  });

  it('finish reason: Anthropic stop_reason, the first choice, or why a Response is incomplete', () => {
    expect(finishReasonOf({ status: 'completed', incomplete_details: null })).toBeNull();
    expect(finishReasonOf({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })).toBe('max_output_tokens');
    expect(finishReasonOf({ choices: [{ finish_reason: 'length' }] })).toBe('length');
    expect(finishReasonOf({ stop_reason: 'end_turn' })).toBe('end_turn');
  });

  it('error categories by status and by failure', () => {
    expect([200, 399, 408, 504, 429, 401, 403, 404, 422, 500, 502].map(classifyStatus)).toEqual([null, null, 'timeout', 'timeout', 'rate_limit', 'auth', 'auth', 'not_found', 'client_error', 'upstream_error', 'upstream_error']);
    expect(classifyModelCallFailure(new HttpCallError('timeout', 'u', 'm'))).toBe('timeout');
    expect(classifyModelCallFailure(new HttpCallError('connection', 'u', 'm'))).toBe('connection');
    expect(classifyModelCallFailure(new Error('boom'))).toBe('exception');
  });
});
