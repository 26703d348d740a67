import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatCompletionsModel } from '../../../src/core/model/chat_completions_model.js';
import type { Model } from '../../../src/core/model/model.js';
import { createModelServerHandler } from '../../../src/core/model/model_server_handler.js';
import { createOpenAIResponsesModel } from '../../../src/core/model/openai_responses_model.js';
import type { OpenAIEndpointOptions } from '../../../src/core/model/openai_client.js';
import {
  BENCHMARK_TOOL_CALLS,
  EXAMPLE_TASKS_PATH,
  fixedScript,
  openAIErrorReply,
  oracleScript,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeScript,
  type TaskRow,
} from '../../support/fake_openai/index.js';
import { isFunctionCallItem } from '../../../src/core/schema/responses.js';
import { TEST_API_KEY, createParams } from './support.js';

type Json = Record<string, unknown>;

const tasks = readFileSync(EXAMPLE_TASKS_PATH, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as TaskRow & { id: number; responses_create_params: Json; ground_truth: { name: string; arguments: string }[] });

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: FakeScript): Promise<FakeOpenAIServer> {
  server = await startFakeOpenAIServer({ script, apiKey: TEST_API_KEY });
  return server;
}

function options(fake: FakeOpenAIServer, extra: Partial<OpenAIEndpointOptions> = {}): OpenAIEndpointOptions {
  return { baseURL: fake.url, apiKey: TEST_API_KEY, model: 'policy', maxRetries: 0, ...extra };
}

/** A minimal agent loop: call the model, answer each function call with a canned output, until a message. */
async function runToFinalMessage(model: Model, params: Json, maxTurns = 10): Promise<Json[]> {
  const produced: Json[] = [];
  for (let turn = 0; turn < maxTurns; turn += 1) {
    const response = await model.respond(createParams({ ...params, input: [...(params.input as Json[]), ...produced] }));
    produced.push(...(response.output as Json[]));
    const calls = response.output.filter(isFunctionCallItem);
    if (calls.length === 0) return produced;
    for (const call of calls) produced.push({ type: 'function_call_output', call_id: call.call_id, output: '{"output":"ok"}' });
  }
  throw new Error('no final message');
}

describe.each([
  ['responses', createOpenAIResponsesModel],
  ['chat', createChatCompletionsModel],
] as const)('%s API against scripted fake servers', (_api, create) => {
  it.each(tasks.map((task) => [task.id, task] as const))('oracle script, task %s: calls each ground-truth tool, then answers', async (_id, task) => {
    const fake = await start(oracleScript(tasks));
    const produced = await runToFinalMessage(create(options(fake)), task.responses_create_params);
    const calls = produced.filter((item) => item.type === 'function_call').map((item) => ({ name: item.name, arguments: item.arguments }));
    expect(calls).toEqual(task.ground_truth);
    expect(produced.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });
  });

  it('fixed benchmark script: 4 model turns with 3 tool calls', async () => {
    const fake = await start(fixedScript());
    const produced = await runToFinalMessage(create(options(fake)), tasks[0]!.responses_create_params);
    expect(produced.filter((item) => item.type === 'function_call').map((item) => item.name)).toEqual(BENCHMARK_TOOL_CALLS.map((call) => call.name));
    expect(fake.modelRequests()).toHaveLength(4);
  });

  it('maxConcurrentRequests bounds the calls in flight', async () => {
    const fake = await start(fixedScript());
    fake.setFaults({ decide: () => ({ kind: 'slow', delayMs: 30 }) });
    const model = create(options(fake, { maxConcurrentRequests: 2 }));
    await Promise.all(Array.from({ length: 6 }, () => model.respond(createParams({ input: 'hi' }))));
    expect(fake.modelRequests()).toHaveLength(6);
    expect(fake.concurrency().maxInFlight).toBeLessThanOrEqual(2);
    expect(fake.concurrency().inFlight).toBe(0);
  });
});

describe('Chat Completions adapter specifics', () => {
  it('turns reasoning_content and finish_reason=length into a reasoning item and an incomplete response', async () => {
    const fake = await start(() => ({ items: [{ type: 'reasoning', summary: ['think first'] }, { type: 'message', text: 'partial' }], stopReason: 'max_output_tokens' }));
    const response = await createChatCompletionsModel(options(fake)).respond(createParams({ input: 'hi', max_output_tokens: 5 }));
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 5 });
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(fake.requests[0]!.body).toMatchObject({ max_tokens: 5, model: 'policy' });
  });

  it('a 400 about the context length becomes an empty completion that stopped on length', async () => {
    const fake = await start(() =>
      openAIErrorReply(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", {
        code: 'context_length_exceeded',
      }),
    );
    const response = await createChatCompletionsModel(options(fake)).respond(createParams({ input: 'a very long prompt' }));
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(response.output).toMatchObject([{ type: 'message', content: [{ text: '' }] }]);
  });

  it('sends metadata.extra_body (a JSON string) as request fields, under the request\'s own', async () => {
    const fake = await start(fixedScript());
    await createChatCompletionsModel(options(fake)).respond(createParams({ input: 'hi', temperature: 0.3, metadata: { extra_body: '{"seed": 7, "temperature": 0.9}' } }));
    expect(fake.requests[0]!.body).toMatchObject({ seed: 7, temperature: 0.3, metadata: { extra_body: '{"seed": 7, "temperature": 0.9}' } });
  });
});

describe('the fake server itself, through the real openai SDK', () => {
  it('lists models, checks the bearer key and answers unknown routes with OpenAI\'s 404', async () => {
    const fake = await startFakeOpenAIServer({ script: fixedScript(), apiKey: TEST_API_KEY, models: ['gpt-4.1', 'policy'] });
    server = fake;
    const client = new OpenAI({ baseURL: fake.url, apiKey: TEST_API_KEY, maxRetries: 0 });
    const models = [];
    for await (const entry of client.models.list()) models.push(entry.id);
    expect(models).toEqual(['gpt-4.1', 'policy']);
    const anonymous = await fetch(`${fake.url}/models`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toContain("You didn't provide an API key");
    const missing = await fetch(`${fake.url}/nope`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(missing.status).toBe(404);
    expect(fake.requests.map((request) => request.authorization)).toEqual(['matched', 'absent', 'matched']);
    expect(JSON.stringify(fake.requests)).not.toContain(TEST_API_KEY);
  });

  it('can keep requests without bodies, or none at all (long benchmarks)', async () => {
    for (const recordRequests of ['without_bodies', false] as const) {
      const fake = await startFakeOpenAIServer({ script: fixedScript(), recordRequests });
      const model = createOpenAIResponsesModel(options(fake));
      await model.respond(createParams({ input: 'hi' }));
      await model.respond(createParams({ input: 'hi' }));
      expect(fake.requests.map((request) => [request.index, request.body, request.status])).toEqual(
        recordRequests === false ? [] : [[0, undefined, 200], [1, undefined, 200]],
      );
      await fake.close();
    }
  });

  it('answers the Responses API in OpenAI\'s shape', async () => {
    const fake = await start(fixedScript());
    const client = new OpenAI({ baseURL: fake.url, apiKey: TEST_API_KEY, maxRetries: 0 });
    const response = await client.responses.create({ model: 'gpt-4.1', input: 'hi', tools: [] });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4.1', billing: { payer: 'developer' }, tool_choice: 'auto', parallel_tool_calls: true });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response.output[0]).toMatchObject({ type: 'function_call', name: BENCHMARK_TOOL_CALLS[0]!.name, call_id: 'call_fixed_0', status: 'completed' });
    expect((response.output[0] as { id: string }).id).toMatch(/^fc_/);
  });
});

describe('the model server handler over a real upstream', () => {
  it('200 on success; 502, 504 and 429 on upstream failures, with the upstream\'s message', async () => {
    const fake = await start(fixedScript());
    const handler = createModelServerHandler({ model: createOpenAIResponsesModel(options(fake, { timeoutMs: 200 })) });
    expect((await handler.handleResponses({ input: 'hi' })).status).toBe(200);

    fake.setFaults({ byRequestIndex: { 0: { kind: 'tool_schema_error' } } });
    const rejected = await handler.handleResponses({ input: 'hi', tools: [{ type: 'function', name: 'email_send_email', parameters: {}, strict: true }] });
    expect(rejected.status).toBe(502);
    expect(rejected.body).toMatchObject({ error: { type: 'upstream_error', kind: 'http', upstream_status: 400, retryable: false } });
    expect(JSON.stringify(rejected.body)).toContain("Invalid schema for function 'email_send_email'");

    fake.setFaults({ byRequestIndex: { 0: { kind: 'slow', delayMs: 5000 } } });
    expect((await handler.handleResponses({ input: 'hi' })).status).toBe(504);

    fake.setFaults({ byRequestIndex: { 0: { kind: 'rate_limit', retryAfterSeconds: 0.01 } } });
    const limited = await handler.handleResponses({ input: 'hi' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { upstream_status: 429, retryable: true } });
  });

  it('forwards /v1/chat/completions with the configured model', async () => {
    const fake = await start(fixedScript());
    const handler = createModelServerHandler({ model: createOpenAIResponsesModel(options(fake, { extraBody: { seed: 1 } })) });
    const result = await handler.handleChatCompletions({ model: 'ignored', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ object: 'chat.completion', choices: [{ finish_reason: 'tool_calls' }] });
    expect(fake.requests[0]!.body).toMatchObject({ model: 'policy', seed: 1 });
  });
});
