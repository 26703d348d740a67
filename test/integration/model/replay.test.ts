import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatCompletionsModel } from '../../../src/core/model/chat_completions_model.js';
import { createOpenAIResponsesModel } from '../../../src/core/model/openai_responses_model.js';
import {
  EXAMPLE_ROLLOUTS_PATH,
  loadRecordedRollouts,
  replayRecordedRollouts,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../support/fake_openai/index.js';
import { TEST_API_KEY, capturingLogger, comparable, createParams } from './support.js';

type Json = Record<string, unknown>;

const rollouts = loadRecordedRollouts(EXAMPLE_ROLLOUTS_PATH);
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ script: replayRecordedRollouts(rollouts), apiKey: TEST_API_KEY });
});
afterAll(async () => {
  await server.close();
});

describe('replaying the 5 recorded gpt-4.1 rollouts through the Responses API adapter', () => {
  it.each(rollouts.map((rollout) => [rollout.line, rollout] as const))('rollout %i: every turn comes back exactly as recorded', async (_line, rollout) => {
    const logger = capturingLogger();
    const model = createOpenAIResponsesModel({
      baseURL: server.url,
      apiKey: TEST_API_KEY,
      model: 'gpt-4.1',
      extraBody: { temperature: 0.2, prompt_cache_key: 'gym' },
      logger,
    });
    const originalInput = rollout.responsesCreateParams.input as Json[];
    const history: Json[] = [];
    const firstRequest = server.requests.length;
    let last;
    for (const turn of rollout.turns) {
      last = await model.respond(createParams({ ...rollout.responsesCreateParams, input: [...originalInput, ...history] }));
      expect(last.output).toEqual(turn.modelItems);
      history.push(...(last.output as Json[]), ...turn.toolOutputs);
    }
    expect(history).toEqual(rollout.response.output);
    expect(last).toMatchObject({ id: rollout.response.id, usage: rollout.response.usage, model: 'gpt-4.1-2025-04-14' });
    expect(last).not.toHaveProperty('output_text');

    const sent = server.requests.slice(firstRequest);
    expect(sent.map((request) => [request.method, request.path, request.authorization, request.status])).toEqual(
      rollout.turns.map(() => ['POST', '/v1/responses', 'matched', 200]),
    );
    for (const [index, request] of sent.entries()) {
      const body = request.body as Json;
      expect(body.model).toBe('gpt-4.1');
      expect(body.prompt_cache_key).toBe('gym'); // from extra_body
      expect(body.temperature).toBe(1); // the request's value wins over extra_body
      expect((body.input as Json[]).length).toBe(originalInput.length + rollout.turns.slice(0, index).reduce((n, turn) => n + turn.modelItems.length + turn.toolOutputs.length, 0));
    }
    expect(logger.lines.join('\n')).not.toContain(TEST_API_KEY);
  });
});

describe('replaying the recorded rollouts through the Chat Completions adapter', () => {
  it.each(rollouts.map((rollout) => [rollout.line, rollout] as const))('rollout %i: the converted turns say what the recording says', async (_line, rollout) => {
    const model = createChatCompletionsModel({ baseURL: server.url, apiKey: TEST_API_KEY, model: 'gpt-4.1' });
    const originalInput = rollout.responsesCreateParams.input as Json[];
    const history: Json[] = [];
    const firstRequest = server.requests.length;
    for (const turn of rollout.turns) {
      const response = await model.respond(createParams({ ...rollout.responsesCreateParams, input: [...originalInput, ...history] }));
      expect(response.output.map((item) => comparable(item))).toEqual(turn.modelItems.map(comparable));
      expect(response.status).toBe('completed');
      history.push(...(response.output as Json[]), ...turn.toolOutputs);
    }

    // The last chat request carries the whole conversation: system, user, then per turn the assistant's
    // tool calls (id = call_id) and one tool message per output.
    const lastRequest = server.requests.at(-1)!;
    expect(server.requests.slice(firstRequest).every((request) => request.path === '/v1/chat/completions')).toBe(true);
    const messages = (lastRequest.body as { messages: Json[] }).messages;
    const expectedRoles = ['system', 'user', ...rollout.turns.slice(0, -1).flatMap((turn) => ['assistant', ...turn.toolOutputs.map(() => 'tool')])];
    expect(messages.map((message) => message.role)).toEqual(expectedRoles);
    const firstCall = rollout.turns[0]!.modelItems[0]!;
    expect(messages[2]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: firstCall.call_id, type: 'function', function: { name: firstCall.name, arguments: firstCall.arguments } }],
    });
    expect(messages[3]).toEqual({ role: 'tool', content: rollout.turns[0]!.toolOutputs[0]!.output, tool_call_id: firstCall.call_id });
    const tools = (lastRequest.body as { tools: Json[] }).tools;
    expect(tools).toHaveLength(27);
    expect(Object.keys(tools[0]!.function as Json).sort()).toEqual(['description', 'name', 'parameters']);
    expect(lastRequest.body).toMatchObject({ model: 'gpt-4.1', parallel_tool_calls: false, temperature: 1, tool_choice: 'auto' });
  });
});
