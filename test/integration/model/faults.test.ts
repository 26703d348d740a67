import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChatCompletionsModel } from '../../../src/core/model/chat_completions_model.js';
import { ModelError, type Model } from '../../../src/core/model/model.js';
import { createOpenAIResponsesModel } from '../../../src/core/model/openai_responses_model.js';
import type { OpenAIEndpointOptions } from '../../../src/core/model/openai_client.js';
import {
  EXAMPLE_ROLLOUTS_PATH,
  loadRecordedRollouts,
  replayRecordedRollouts,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type Fault,
} from '../../support/fake_openai/index.js';
import { TEST_API_KEY, capturingLogger, comparable, createParams, type CapturingLogger } from './support.js';

const rollout = loadRecordedRollouts(EXAMPLE_ROLLOUTS_PATH)[4]!; // "Delete my last email from kofi", 3 turns
const params = createParams(rollout.responsesCreateParams);
const expectedFirstTurn = rollout.turns[0]!.modelItems;

let server: FakeOpenAIServer;
let logger: CapturingLogger;
const errors: ModelError[] = [];

const factories = {
  responses: (options: OpenAIEndpointOptions) => createOpenAIResponsesModel(options),
  chat: (options: OpenAIEndpointOptions) => createChatCompletionsModel(options),
};
type Api = keyof typeof factories;

function model(api: Api, options: Partial<OpenAIEndpointOptions> = {}): Model {
  return factories[api]({ baseURL: server.url, apiKey: TEST_API_KEY, model: 'gpt-4.1', timeoutMs: 2000, maxRetries: 2, logger, ...options });
}

/** The fault for the first `count` requests from now. */
function failFirst(count: number, fault: Fault): void {
  server.setFaults({ byRequestIndex: Object.fromEntries(Array.from({ length: count }, (_, index) => [index, fault])) });
}

async function expectModelError(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelError);
  errors.push(error as ModelError);
  return error as ModelError;
}

function attempts(): { status?: number; fault?: string }[] {
  return server.modelRequests().map((request) => ({ status: request.status, fault: request.fault }));
}

beforeAll(async () => {
  server = await startFakeOpenAIServer({ script: replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), apiKey: TEST_API_KEY });
  logger = capturingLogger();
});
afterEach(() => {
  server.setFaults(undefined);
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
});

describe.each(['responses', 'chat'] as const)('%s API: faults that a retry cures', (api) => {
  it('429 with Retry-After: retried after the rate limit, then succeeds', async () => {
    failFirst(2, { kind: 'rate_limit', retryAfterSeconds: 0.01 });
    const response = await model(api).respond(params);
    expect(response.output.map((item) => comparable(item))).toEqual(expectedFirstTurn.map(comparable));
    expect(attempts()).toEqual([
      { status: 429, fault: 'rate_limit' },
      { status: 429, fault: 'rate_limit' },
      { status: 200, fault: undefined },
    ]);
  });

  it.each([
    ['500', { kind: 'server_error', retryAfterSeconds: 0.01 }, 500],
    ['503', { kind: 'service_unavailable', retryAfterSeconds: 0.01 }, 503],
  ] as const)('%s: retried, then succeeds', async (_name, fault, status) => {
    failFirst(1, fault);
    await model(api).respond(params);
    expect(attempts()).toEqual([{ status, fault: fault.kind }, { status: 200, fault: undefined }]);
  });

  it('a connection dropped before the answer: retried, then succeeds', async () => {
    failFirst(1, { kind: 'drop_connection' });
    await model(api).respond(params);
    expect(attempts()).toEqual([{ status: undefined, fault: 'drop_connection' }, { status: 200, fault: undefined }]);
  });

  it('an answer slower than the timeout: the attempt times out, the retry succeeds', async () => {
    failFirst(1, { kind: 'slow', delayMs: 5000 });
    await model(api, { timeoutMs: 300, maxRetries: 1 }).respond(params);
    expect(attempts()).toEqual([{ status: undefined, fault: 'slow' }, { status: 200, fault: undefined }]);
  });

  it('a slow answer within the timeout is simply waited for', async () => {
    failFirst(1, { kind: 'slow', delayMs: 50 });
    await model(api, { timeoutMs: 5000, maxRetries: 0 }).respond(params);
    expect(attempts()).toEqual([{ status: 200, fault: 'slow' }]);
  });
});

describe.each(['responses', 'chat'] as const)('%s API: faults that end in a ModelError', (api) => {
  it('429 on every attempt: kind http, status 429, retryable, quoting OpenAI\'s message', async () => {
    failFirst(3, { kind: 'rate_limit', retryAfterSeconds: 0.01 });
    const error = await expectModelError(model(api, { maxRetries: 2 }).respond(params));
    expect(error).toMatchObject({ kind: 'http', status: 429, retryable: true, upstreamCode: 'rate_limit_exceeded' });
    expect(error.message).toContain('Rate limit reached for gpt-4.1 in organization org-fake0000');
    expect(attempts()).toHaveLength(3);
  });

  it('500 on every attempt: kind http, status 500, with the upstream text', async () => {
    failFirst(2, { kind: 'server_error', retryAfterSeconds: 0.01 });
    const error = await expectModelError(model(api, { maxRetries: 1 }).respond(params));
    expect(error).toMatchObject({ kind: 'http', status: 500, retryable: true });
    expect(error.message).toContain('The server had an error while processing your request');
  });

  it('a tool-schema 400 is not retried and names the tool and field', async () => {
    failFirst(1, { kind: 'tool_schema_error' });
    const error = await expectModelError(model(api).respond(params));
    expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false, tool: { toolName: 'email_send_email', toolIndex: 3, field: 'parameters' } });
    expect(error.message).toContain("Invalid schema for function 'email_send_email'");
    expect(error.message).toContain("tool 'email_send_email' (tools[3]), field 'parameters'");
    expect(attempts()).toHaveLength(1);
  });

  it('a tool-schema 422 likewise', async () => {
    failFirst(1, { kind: 'tool_schema_error', status: 422, toolIndex: 5 });
    const error = await expectModelError(model(api).respond(params));
    expect(error).toMatchObject({ kind: 'http', status: 422, tool: { toolIndex: 5, toolName: 'email_forward_email' } });
  });

  it('a malformed JSON body: kind invalid_response', async () => {
    failFirst(1, { kind: 'malformed_json' });
    const error = await expectModelError(model(api).respond(params));
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: true });
    expect(error.message).toContain('not valid JSON');
  });

  it('a connection dropped in the middle of the body is retried; with no retries left: kind connection', async () => {
    failFirst(1, { kind: 'drop_connection', when: 'mid_body' });
    await model(api).respond(params);
    expect(attempts()).toHaveLength(2);
    failFirst(1, { kind: 'drop_connection', when: 'mid_body' });
    const error = await expectModelError(model(api, { maxRetries: 0 }).respond(params));
    expect(error).toMatchObject({ kind: 'connection', retryable: true });
  });

  it('dropped connections on every attempt: kind connection', async () => {
    failFirst(2, { kind: 'drop_connection' });
    const error = await expectModelError(model(api, { maxRetries: 1 }).respond(params));
    expect(error).toMatchObject({ kind: 'connection', retryable: true });
    expect(attempts()).toHaveLength(2);
  });

  it('slower than the timeout on every attempt: kind timeout', async () => {
    failFirst(1, { kind: 'slow', delayMs: 5000 });
    const error = await expectModelError(model(api, { timeoutMs: 200, maxRetries: 0 }).respond(params));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toContain('did not answer within 200 ms (1 attempts)');
  });

  it('cancelled through the signal: kind cancelled', async () => {
    const controller = new AbortController();
    server.setFaults({
      decide: () => {
        controller.abort();
        return { kind: 'slow', delayMs: 5000 };
      },
    });
    const error = await expectModelError(model(api).respond(params, { signal: controller.signal }));
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
  });

  it('a wrong API key: 401 with OpenAI\'s message, not retried', async () => {
    const error = await expectModelError(model(api, { apiKey: `${TEST_API_KEY}-wrong` }).respond(params));
    expect(error).toMatchObject({ kind: 'http', status: 401, retryable: false, upstreamCode: 'invalid_api_key' });
    expect(error.message).toContain('Incorrect API key provided');
    expect(server.requests.map((request) => request.authorization)).toEqual(['mismatched']);
  });

  it('an unreachable endpoint: kind connection', async () => {
    const error = await expectModelError(model(api, { baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 }).respond(params));
    expect(error).toMatchObject({ kind: 'connection' });
  });
});

describe('random faults with a seed', () => {
  it('every call still succeeds with enough retries, and the same seed fails the same requests', async () => {
    const plan = { random: { probability: 0.5, seed: 3, faults: [{ kind: 'rate_limit', retryAfterSeconds: 0.01 }, { kind: 'server_error', retryAfterSeconds: 0.01 }] as Fault[] } };
    const run = async () => {
      server.requests.length = 0;
      server.setFaults(plan);
      const chat = model('chat', { maxRetries: 8 });
      for (let call = 0; call < 5; call += 1) await chat.respond(params);
      return attempts().map((attempt) => attempt.fault ?? 'ok');
    };
    const first = await run();
    expect(first.filter((kind) => kind === 'ok')).toHaveLength(5);
    expect(first.length).toBeGreaterThan(5);
    expect(await run()).toEqual(first);
  });
});

describe('the API key never leaks', () => {
  it('an upstream that echoes the key in its error body', async () => {
    server.setFaults({ decide: () => ({ kind: 'tool_schema_error', message: `Incorrect key ${TEST_API_KEY} (Authorization: Bearer ${TEST_API_KEY})` }) });
    const error = await expectModelError(model('responses').respond(params));
    expect(error.upstreamMessage).toContain('Incorrect key *** (Authorization: Bearer ***)');
  });

  it('appears in no error message, error field or log line of this file, and is not recorded by the fake server', () => {
    expect(errors.length).toBeGreaterThan(20);
    for (const error of errors) {
      expect(error.message).not.toContain(TEST_API_KEY);
      expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
      expect(String(error.stack)).not.toContain(TEST_API_KEY);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(server.requests)).not.toContain(TEST_API_KEY);
  });
});
