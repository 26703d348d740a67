/**
 * Issue #8, item 1, over real HTTP on loopback and through the whole stack: a model's catastrophic regular
 * expression is stopped with an error, and meanwhile every other session, the liveness route and the head server
 * keep answering (asserted by order of completion, not by timing).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import { stoppedSearchMessage } from '../../../src/core/python/regex_guard';
import { HttpClient } from '../../../src/core/servers/http/http_client';
import { startTestServers } from '../../support/embedded';
import { EXAMPLE_TASKS_PATH, startFakeOpenAIServer, type FakeScript } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';
import { startWorkplaceResourcesServer, type StartedResourcesServer } from '../../support/workplace_server';

const TIME_LIMIT_MS = 1500;
const PATTERN = '^((.)+)+#';
const STOPPED = `Error executing tool 'calendar_search_events': ${stoppedSearchMessage(PATTERN, TIME_LIMIT_MS)}`;

describe.each([
  ['over HTTP', false],
  ['in-process', true],
] as const)('the resources server %s, with a catastrophic search running', (_label, inProcess) => {
  let server: StartedResourcesServer;
  let client: HttpClient;
  beforeAll(async () => {
    server = await startWorkplaceResourcesServer({ regexTimeLimitMs: TIME_LIMIT_MS });
    client = new HttpClient({ inProcess });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  async function seeded(): Promise<Map<string, string>> {
    return (await client.post(`${server.url}/seed_session`, '{}')).setCookies;
  }

  it("answers other sessions, and GET /, before the pathological call ends with the error", async () => {
    const hostile = await Promise.all([seeded(), seeded(), seeded()]);
    const other = await seeded();
    const order: string[] = [];
    const tools = ['calendar_search_events', 'company_directory_find_email_address', 'calendar_search_events'];
    const pathological = [PATTERN, '^(([a-z.@])+)+#', '^((.)+)+\\2#'].map((pattern, i) => {
      const argument = i === 1 ? 'name' : 'query';
      return client.post(`${server.url}/${tools[i]}`, JSON.stringify({ [argument]: pattern }), { cookies: hostile[i] }).then((answer) => {
        order.push(`pathological ${i}`);
        return answer;
      });
    });
    for (let i = 0; i < 25; i++) {
      const answer = await client.post(`${server.url}/company_directory_find_email_address`, '{"name": "nadia"}', { cookies: other });
      expect(answer.bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
      const live = await client.get(`${server.url}/`);
      expect(live.bodyText).toBe('{"status":"ok"}');
      order.push('other');
    }
    const answers = await Promise.all(pathological);
    expect(order.slice(0, 25)).toEqual(Array<string>(25).fill('other'));
    const patterns = [PATTERN, '^(([a-z.@])+)+#', '^((.)+)+\\2#'];
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.bodyText).toBe(JSON.stringify({ output: `Error executing tool '${tools[i]}': ${stoppedSearchMessage(patterns[i]!, TIME_LIMIT_MS)}` }));
    });
  });

  it('keeps the hostile session usable afterwards', async () => {
    const hostile = await seeded();
    const stopped = await client.post(`${server.url}/calendar_search_events`, JSON.stringify({ query: PATTERN }), { cookies: hostile });
    expect(stopped.bodyText).toBe(JSON.stringify({ output: STOPPED }));
    const after = await client.post(`${server.url}/company_directory_find_email_address`, '{"name": "nadia"}', { cookies: hostile });
    expect(after.bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
  });

  it('verifies a rollout whose predicted calls include such a search, with a reward', async () => {
    const task = JSON.parse(readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n')[0]!) as { ground_truth: Array<{ name: string; arguments: string }> };
    const truth = task.ground_truth;
    const output = [
      { type: 'function_call', call_id: 'c1', name: 'calendar_search_events', arguments: JSON.stringify({ query: PATTERN }), id: 'fc1', status: 'completed' },
      ...truth.map((call, i) => ({ type: 'function_call', call_id: `t${i}`, name: call.name, arguments: call.arguments, id: `ft${i}`, status: 'completed' })),
    ];
    const response = { id: 'resp_1', created_at: 1, model: 'm', object: 'response', output, parallel_tool_calls: true, tool_choice: 'auto', tools: [] };
    const cookies = await seeded();
    const order: string[] = [];
    const verified = client.post(`${server.url}/verify`, JSON.stringify({ ...task, response }), { cookies }).then((answer) => {
      order.push('verify');
      return answer;
    });
    const other = await seeded();
    await client.post(`${server.url}/company_directory_find_email_address`, '{"name": "raj"}', { cookies: other });
    order.push('other');
    const answer = await verified;
    expect(answer.status, answer.bodyText.slice(0, 300)).toBe(200);
    expect(order).toEqual(['other', 'verify']);
    const body = JSON.parse(answer.bodyText) as { reward: number; reward_explanation: { skippedPredictedCalls: Array<{ reason: string }> } };
    expect(body.reward).toBe(1);
    expect(body.reward_explanation.skippedPredictedCalls.map((skipped) => skipped.reason)).toEqual([`TimeoutError: ${stoppedSearchMessage(PATTERN, TIME_LIMIT_MS)}`]);
  });
});

describe('the whole stack (ng_run-style servers in one process) with a model that sends a catastrophic pattern', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  it('completes the rollout with the error as the tool output, and a reward, while the head server answers', async () => {
    const row = JSON.parse(readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n')[0]!) as { ground_truth: Array<{ name: string; arguments: string }> };
    const truth = row.ground_truth[0]!;
    // Turn 1: the catastrophic search; turn 2: the right call; turn 3: done.
    const script: FakeScript = (request) => {
      if (request.toolOutputCount === 0) return { items: [{ type: 'function_call', name: 'calendar_search_events', arguments: JSON.stringify({ query: PATTERN }), callId: 'call_1' }] };
      if (request.toolOutputCount === 1) return { items: [{ type: 'function_call', name: truth.name, arguments: truth.arguments, callId: 'call_2' }] };
      return { items: [{ type: 'message', text: 'Done.' }] };
    };
    const fake = await startFakeOpenAIServer({ script, apiKey: 'sk-regex-isolation' });
    cleanups.push(() => fake.close());
    const servers = await startTestServers({
      configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
      policyBaseUrl: fake.url,
      policyApiKey: 'sk-regex-isolation',
      policyModelName: 'scripted',
      extra: [`++workplace_assistant.resources_servers.workplace_assistant.regex_time_limit_seconds=${TIME_LIMIT_MS / 1000}`],
    });
    cleanups.push(() => servers.stop());
    const resourcesUrl = servers.servers.find((server) => server.name === 'workplace_assistant')!.url;

    const dir = mkdtempSync(join(tmpdir(), 'gym-regex-isolation-'));
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, `${readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n')[0]}\n`);
    const output = join(dir, 'rollouts.jsonl');
    const collection = collectRollouts({ inputJsonlPath: input, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent' }, { headServerUrl: servers.headServerUrl }, {}, silentLogger);

    // Once the model has asked for the search, the agent is waiting for it: everything else still answers.
    await expect.poll(() => fake.modelRequests().length, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    const client = new HttpClient();
    const head = await client.get(`${servers.headServerUrl}/`);
    const cookies = (await client.post(`${resourcesUrl}/seed_session`, '{}')).setCookies;
    const other = await client.post(`${resourcesUrl}/company_directory_find_email_address`, '{"name": "nadia"}', { cookies });
    const searchStillRunning = fake.modelRequests().length === 1;
    client.close();
    expect(head.status).toBe(200);
    expect(other.bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
    expect(searchStillRunning).toBe(true);

    const summary = await collection;
    expect(summary.done).toBe(1);
    const [rollout] = readJsonl<{ reward: number; response: { output: Array<{ type: string; call_id?: string; output?: string }> } }>(output);
    expect(rollout!.reward).toBe(1);
    const toolOutput = rollout!.response.output.find((item) => item.type === 'function_call_output' && item.call_id === 'call_1');
    expect(toolOutput?.output).toBe(JSON.stringify({ output: STOPPED }));
  });
});
