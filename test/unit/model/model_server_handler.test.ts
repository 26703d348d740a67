import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/logger.js';
import { ModelError, UnsupportedInputError, type ChatCompletionsPassthrough, type Model } from '../../../src/core/model/model.js';
import { MODEL_SERVER_STATUS, createModelServerHandler } from '../../../src/core/model/model_server_handler.js';
import { createScriptedModel } from '../../../src/core/model/scripted_model.js';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

function failingModel(error: unknown): Model {
  return { respond: () => Promise.reject(error) };
}

const tool = { type: 'function', name: 'f', parameters: {}, strict: false };

describe('createModelServerHandler.handleResponses', () => {
  it('answers 200 with the model response, passing only the validated params', async () => {
    const model = createScriptedModel([{ text: 'hello' }]);
    const handler = createModelServerHandler({ model });
    const result = await handler.handleResponses({ input: [{ role: 'user', content: 'hi', extra: 'dropped' }] });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ object: 'response', output: [{ type: 'message' }] });
    expect(model.calls[0]!.params).toEqual({ input: [{ role: 'user', content: 'hi' }] });
  });

  it('answers 422 with pydantic detail for schema errors, without calling the model', async () => {
    const model = createScriptedModel([]);
    const logger = capturingLogger();
    const result = await createModelServerHandler({ model, logger }).handleResponses({ input: 'hi', tools: [{ ...tool, database: 'x' }] });
    expect(result).toEqual({
      status: 422,
      body: { detail: [{ type: 'extra_forbidden', loc: ['body', 'tools', 0, 'FunctionToolParam', 'database'], msg: 'Extra inputs are not permitted', input: 'x' }] },
    });
    expect(model.calls).toHaveLength(0);
    expect(logger.lines).toEqual(['warn POST /v1/responses: 422 body.tools.0.FunctionToolParam.database: Extra inputs are not permitted']);
  });

  it('with sanitizeToolSchemas repairs the tools, logs one notice and answers 200', async () => {
    const model = createScriptedModel([{ text: 'ok' }]);
    const logger = capturingLogger();
    const handler = createModelServerHandler({ model, logger, sanitizeToolSchemas: true });
    const result = await handler.handleResponses({ input: 'hi', tools: [{ ...tool, database: 'x', operation_type: 'read' }] });
    expect(result.status).toBe(200);
    expect(model.calls[0]!.params.tools).toEqual([tool]);
    expect(logger.lines).toEqual(['info Sanitised tool schemas: removed non-standard keys database (1 tool: f), operation_type (1 tool: f).']);
  });

  it.each([
    [new ModelError({ kind: 'http', status: 400, message: 'upstream said no' }), 502, 'upstream_error', false],
    [new ModelError({ kind: 'http', status: 429, message: 'rate limited' }), 429, 'upstream_error', true],
    [new ModelError({ kind: 'http', status: 503, message: 'overloaded' }), 502, 'upstream_error', true],
    [new ModelError({ kind: 'connection', message: 'refused' }), 502, 'upstream_error', true],
    [new ModelError({ kind: 'invalid_response', message: 'not json' }), 502, 'upstream_error', false],
    [new ModelError({ kind: 'timeout', message: 'too slow' }), 504, 'upstream_timeout', true],
    [new ModelError({ kind: 'cancelled', message: 'cancelled' }), 499, 'cancelled', false],
  ] as const)('maps %s to HTTP %i', async (error, status, type, retryable) => {
    const result = await createModelServerHandler({ model: failingModel(error) }).handleResponses({ input: 'hi' });
    expect(result.status).toBe(status);
    expect(result.body).toEqual({ error: { message: error.message, type, kind: error.kind, upstream_status: error.status ?? null, retryable } });
  });

  it('answers 400 for input the model cannot express, and 500 for anything unexpected', async () => {
    const unsupported = await createModelServerHandler({ model: failingModel(new UnsupportedInputError('no hosted tools', ['tools', 0])) }).handleResponses({ input: 'x' });
    expect(unsupported).toEqual({ status: 400, body: { error: { message: 'no hosted tools', type: 'unsupported_input', loc: ['tools', 0] } } });
    const logger = capturingLogger();
    const crashed = await createModelServerHandler({ model: failingModel(new TypeError('oops')), logger }).handleResponses({ input: 'x' });
    expect(crashed).toEqual({ status: MODEL_SERVER_STATUS.internal, body: { error: { message: 'Model server error: oops', type: 'internal_error' } } });
    expect(logger.lines).toEqual(['error POST /v1/responses: Model server error: oops']);
  });

  it('passes the abort signal to the model', async () => {
    const model = createScriptedModel([{ text: 'x' }]);
    const controller = new AbortController();
    await createModelServerHandler({ model }).handleResponses({ input: 'x' }, controller.signal);
    expect(model.calls[0]!.signal).toBe(controller.signal);
  });
});

describe('createModelServerHandler.handleChatCompletions', () => {
  it('forwards to a model that supports it', async () => {
    const bodies: unknown[] = [];
    const model: Model & ChatCompletionsPassthrough = {
      respond: () => Promise.reject(new Error('unused')),
      createChatCompletion: async (body) => {
        bodies.push(body);
        return { object: 'chat.completion', choices: [] };
      },
    };
    const handler = createModelServerHandler({ model });
    const ok = await handler.handleChatCompletions({ messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    expect(ok).toEqual({ status: 200, body: { object: 'chat.completion', choices: [] } });
    expect(bodies).toEqual([{ messages: [{ role: 'user', content: 'hi' }], temperature: 0 }]);
    const invalid = await handler.handleChatCompletions({ temperature: 0 });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({ detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: { temperature: 0 } }] });
  });

  it('answers 501 for a model without Chat Completions', async () => {
    const result = await createModelServerHandler({ model: createScriptedModel([]) }).handleChatCompletions({ messages: [] });
    expect(result.status).toBe(501);
  });
});
