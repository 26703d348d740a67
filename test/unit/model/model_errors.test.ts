import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { findToolSchemaProblem, toModelError } from '../../../src/core/model/model_errors.js';
import { redactSecrets, redactUrl, redactingLogger } from '../../../src/core/model/redact.js';

const KEY = 'unit-test-key-DO-NOT-LEAK-4b1d';
const tools = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'email_send_email' }];
const context = { url: 'http://user:pw@host:1/v1/responses?api_key=zzz', tools, secrets: [KEY], timeoutMs: 100, maxRetries: 2 };

function apiError(status: number, error: Record<string, unknown> | undefined): APIError {
  return APIError.generate(status, error ? { error } : undefined, undefined, new Headers());
}

describe('toModelError', () => {
  it('quotes the upstream message and code, with a redacted URL', () => {
    const error = toModelError(apiError(429, { message: 'Rate limit reached for gpt-4.1', code: 'rate_limit_exceeded', type: 'tokens' }), context);
    expect(error).toMatchObject({ kind: 'http', status: 429, retryable: true, upstreamMessage: 'Rate limit reached for gpt-4.1', upstreamCode: 'rate_limit_exceeded' });
    expect(error.message).toBe(
      'The model endpoint http://host:1/v1/responses?api_key=*** answered HTTP 429 (rate_limit_exceeded): "Rate limit reached for gpt-4.1"',
    );
  });

  it('names the tool and field of a tool-schema 4xx', () => {
    const error = toModelError(
      apiError(400, { message: "Invalid schema for function 'email_send_email': bad", param: 'tools[3].parameters', code: 'invalid_function_parameters' }),
      context,
    );
    expect(error.retryable).toBe(false);
    expect(error.tool).toEqual({ toolIndex: 3, toolName: 'email_send_email', field: 'parameters' });
    expect(error.message).toContain("The upstream rejected tool 'email_send_email' (tools[3]), field 'parameters'");
  });

  it('removes the key wherever the upstream echoes it', () => {
    const error = toModelError(apiError(401, { message: `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}` }), context);
    expect(error.message).not.toContain(KEY);
    expect(error.upstreamMessage).not.toContain(KEY);
  });

  it('maps timeouts, connection failures, aborts, bad JSON and broken bodies to their kinds', () => {
    expect(toModelError(new APIConnectionTimeoutError(), context)).toMatchObject({ kind: 'timeout', retryable: true });
    expect(toModelError(new APIConnectionTimeoutError(), context).message).toContain('within 100 ms (3 attempts)');
    const refused = new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(toModelError(refused, context)).toMatchObject({ kind: 'connection', retryable: true });
    expect(toModelError(refused, context).message).toContain('ECONNREFUSED');
    expect(toModelError(new APIUserAbortError(), context)).toMatchObject({ kind: 'cancelled', retryable: false });
    expect(toModelError(new SyntaxError('Unexpected end of JSON input'), context)).toMatchObject({ kind: 'invalid_response', retryable: true });
    expect(toModelError(new TypeError('terminated'), context)).toMatchObject({ kind: 'connection' });
  });
});

describe('findToolSchemaProblem', () => {
  it('reads Chat-style params, messages and FastAPI details', () => {
    expect(findToolSchemaProblem({ param: 'tools[1].function.parameters' }, tools)).toEqual({ toolIndex: 1, toolName: 'b', field: 'parameters' });
    expect(findToolSchemaProblem({ message: "Invalid schema for function 'c': x" }, tools)).toEqual({ toolIndex: 2, toolName: 'c' });
    expect(findToolSchemaProblem({ detail: [{ loc: ['body', 'tools', 3, 'FunctionToolParam', 'database'] }] }, tools)).toEqual({
      toolIndex: 3,
      toolName: 'email_send_email',
      field: 'database',
    });
    expect(findToolSchemaProblem({ message: 'Rate limit' }, tools)).toBeUndefined();
  });
});

describe('redaction', () => {
  it('removes secrets and bearer tokens from text, credentials from URLs', () => {
    expect(redactSecrets(`key ${KEY} and Authorization: Bearer sk-other`, [KEY])).toBe('key *** and Authorization: Bearer ***');
    expect(redactUrl('https://u:p@example.com/v1/?token=abc&x=1#frag')).toBe('https://example.com/v1/?token=***&x=1');
  });

  it('wraps a logger', () => {
    const lines: string[] = [];
    const logger = redactingLogger({ trace: (m) => lines.push(m), debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) }, [KEY]);
    logger.warn(`using ${KEY}`);
    expect(lines).toEqual(['using ***']);
  });
});
