import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, WORKPLACE_DATA_DIR } from '../../support/paths';
import { startWorkplaceResourcesServer, type StartedResourcesServer } from '../../support/workplace_server';

type Cookies = Map<string, string>;

describe('workplace_assistant resources server: routes, sessions and hostile input', () => {
  let server: StartedResourcesServer;
  beforeAll(async () => {
    server = await startWorkplaceResourcesServer({ maxToolBodyBytes: 64 * 1024 });
  });
  afterAll(async () => server.close());

  async function seeded(): Promise<Cookies> {
    const answer = await server.client.post(`${server.url}/seed_session`, '{}');
    expect(answer.status).toBe(200);
    expect(answer.bodyText).toBe('{}');
    return answer.setCookies;
  }

  const post = (path: string, body: string | null, cookies?: Cookies) => server.client.post(`${server.url}${path}`, body, cookies ? { cookies } : {});

  /** A request whose path is sent byte for byte (no client-side normalisation of `..`). */
  function rawPost(path: string, body: string, cookies: Cookies): Promise<{ status: number; body: string }> {
    const url = new URL(server.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers: { 'content-type': 'application/json', cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers liveness on GET /', async () => {
    const answer = await server.client.get(`${server.url}/`);
    expect(answer.status).toBe(200);
    expect(answer.bodyText).toBe('{"status":"ok"}');
  });

  it('sets its own session cookie, named after the class and the server', async () => {
    const cookies = await seeded();
    expect([...cookies.keys()]).toEqual(['WorkbenchResourcesServer___workplace_assistant']);
  });

  it('refuses tool calls before seed_session with HTTP 400', async () => {
    const answer = await post('/company_directory_find_email_address', '{"name":"a"}');
    expect(answer.status).toBe(400);
    expect(answer.bodyText).toBe('{"detail":"Session not initialized. Please call seed_session first."}');
  });

  it('a forged or foreign cookie is a new, unseeded session', async () => {
    const answer = await post('/company_directory_find_email_address', '{"name":"a"}', new Map([['WorkbenchResourcesServer___workplace_assistant', 'eyJzZXNzaW9uX2lkIjoieCJ9.forged']]));
    expect(answer.status).toBe(400);
  });

  it('unknown tools, prototype names and path tricks never reach a prototype or another route', async () => {
    const cookies = await seeded();
    for (const name of ['no_such_tool', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'reverify_mode']) {
      const answer = await post(`/${name}`, '{}', cookies);
      expect(answer.status, name).toBe(200);
      expect(answer.bodyText, name).toBe(`{"output":"Error executing tool '${name}': '${name}'"}`);
    }
    expect(await rawPost('/../x', '{}', cookies)).toEqual({ status: 404, body: '{"detail":"Not Found"}' });
    expect(await rawPost('/a/b', '{}', cookies)).toEqual({ status: 404, body: '{"detail":"Not Found"}' });
    expect(await rawPost('/a%2Fb', '{}', cookies)).toEqual({ status: 404, body: '{"detail":"Not Found"}' });
    const dotted = await rawPost('/..', '{}', cookies);
    expect(dotted.body).toBe(`{"output":"Error executing tool '..': '..'"}`);
    const after = await post('/company_directory_find_email_address', '{"name":"Nadia"}', cookies);
    expect(after.bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
  });

  it('bodies that are not JSON objects get FastAPI 422 bodies', async () => {
    const cookies = await seeded();
    expect((await post('/email_search_emails', '[1,2]', cookies)).bodyText).toBe(
      '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[1,2]}]}',
    );
    expect((await post('/email_search_emails', null, cookies)).bodyText).toBe('{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}');
    const malformed = await post('/email_search_emails', '{"query": ', cookies);
    expect(malformed.status).toBe(422);
    expect(JSON.parse(malformed.bodyText)).toEqual({ detail: [{ type: 'json_invalid', loc: ['body', 10], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] });
  });

  it('a body over the size limit gets HTTP 413 and the session still works', async () => {
    const cookies = await seeded();
    const huge = JSON.stringify({ name: 'x'.repeat(200 * 1024) });
    const answer = await post('/company_directory_find_email_address', huge, cookies);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.bodyText).detail).toMatch(/too large/);
    expect((await post('/company_directory_find_email_address', '{"name":"Nadia"}', cookies)).bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
  });

  it('deeply nested and very long arguments get a Python-style answer without corrupting the session', async () => {
    const cookies = await seeded();
    const deep = `{"name": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const deepAnswer = await post('/company_directory_find_email_address', deep, cookies);
    expect([200, 422]).toContain(deepAnswer.status);
    const long = await post('/email_search_emails', JSON.stringify({ query: 'kofi '.repeat(5000) }), cookies);
    expect(long.status).toBe(200);
    expect(long.bodyText).toContain('"output"');
    const bigInt = await post('/email_search_emails', '{"query": "kofi", "page": 123456789012345678901234567890}', cookies);
    expect(bigInt.status).toBe(200);
    const pagination = (JSON.parse(bigInt.bodyText) as { output: { pagination: { page: number; total_pages: number } } }).output.pagination;
    expect(pagination.page).toBe(pagination.total_pages);
    expect((await post('/company_directory_find_email_address', '{"name":"Nadia"}', cookies)).bodyText).toBe('{"output":["nadia.moreau@atlas.com"]}');
  });

  it('a tool named seed_session resets the state; verify and aggregate_metrics are their own routes', async () => {
    const cookies = await seeded();
    expect((await post('/email_delete_email', '{"email_id":"00000057"}', cookies)).bodyText).toBe('{"output":"Email deleted successfully."}');
    expect((await post('/seed_session', '{}', cookies)).bodyText).toBe('{}');
    expect((await post('/email_delete_email', '{"email_id":"00000057"}', cookies)).bodyText).toBe('{"output":"Email deleted successfully."}');
    const verify = await post('/verify', '{}', cookies);
    expect(verify.status).toBe(422);
    const missing = (JSON.parse(verify.bodyText) as { detail: Array<{ loc: string[] }> }).detail.map((d) => d.loc[1]);
    expect(missing).toEqual(['responses_create_params', 'response', 'ground_truth', 'id', 'category', 'environment_name']);
    expect((await post('/aggregate_metrics', '{}', cookies)).status).toBe(422);
  });

  it('sessions are isolated from each other', async () => {
    const a = await seeded();
    const b = await seeded();
    await post('/email_delete_email', '{"email_id":"00000057"}', a);
    expect((await post('/email_get_email_information_by_id', '{"email_id":"00000057","field":"subject"}', a)).bodyText).toBe('{"output":"Email not found."}');
    expect((await post('/email_get_email_information_by_id', '{"email_id":"00000057","field":"subject"}', b)).bodyText).toContain('"subject":');
  });

  describe('/verify', () => {
    const cases = readFileSync(join(GOLDEN_DIR, 'verify_cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { name: string; predicted: Array<{ name: string; arguments: string }>; ground_truth: unknown; reward: number });

    const verifyBody = (predicted: Array<Record<string, unknown>>, groundTruth: unknown) => JSON.stringify({
      responses_create_params: { input: [{ role: 'user', content: 'task' }], tools: [] },
      response: { id: 'resp_1', output: predicted.map((call, i) => ({ type: 'function_call', call_id: `c${i}`, ...call })) },
      ground_truth: groundTruth,
      id: '7',
      category: 'workplace_assistant_email',
      environment_name: 'workplace_assistant',
    });

    it('agrees with NeMo Gym on every golden verification case', async () => {
      const disagreements: string[] = [];
      for (const testCase of cases) {
        const cookies = await seeded();
        const answer = await post('/verify', verifyBody(testCase.predicted, testCase.ground_truth), cookies);
        expect(answer.status, testCase.name).toBe(200);
        const result = JSON.parse(answer.bodyText) as { reward: number };
        if (result.reward !== testCase.reward) disagreements.push(`${testCase.name}: ${result.reward} (expected ${testCase.reward})`);
      }
      expect(disagreements).toEqual([]);
      expect(cases.length).toBeGreaterThanOrEqual(40);
    });

    it('echoes the task fields and explains a reward of 0', async () => {
      const cookies = await seeded();
      const groundTruth = [{ name: 'email_delete_email', arguments: '{"email_id": "00000057"}' }];
      const answer = await post('/verify', verifyBody([], groundTruth), cookies);
      const result = JSON.parse(answer.bodyText) as Record<string, unknown>;
      expect(answer.bodyText).toContain('"reward":0.0');
      expect(result.id).toBe(7);
      expect(result.ground_truth).toEqual(groundTruth);
      expect(Object.keys(result).slice(0, 3)).toEqual(['responses_create_params', 'response', 'reward']);
      const params = result.responses_create_params as Record<string, unknown>;
      expect(params.parallel_tool_calls).toBe(true);
      expect(params.stream).toBeNull();
      const explanation = result.reward_explanation as { tables: Array<{ table: string; removed: unknown[] }>; summary: string };
      expect(explanation.tables.map((t) => t.table)).toEqual(['email']);
      expect(explanation.summary).toMatch(/00000057/);
    });

    it('frees the session after verification', async () => {
      const cookies = await seeded();
      await post('/verify', verifyBody([], 'no changes'), cookies);
      expect((await post('/company_directory_find_email_address', '{"name":"a"}', cookies)).status).toBe(400);
    });

    it('the ground truth of every example.jsonl row verifies to 1.0', async () => {
      const rows = readFileSync(join(WORKPLACE_DATA_DIR, 'example.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { ground_truth: Array<{ name: string; arguments: string }> });
      expect(rows.length).toBe(5);
      for (const row of rows) {
        const answer = await post('/verify', verifyBody(row.ground_truth, row.ground_truth), await seeded());
        expect(answer.bodyText).toContain('"reward":1.0');
      }
    });

    it('rejects a ground truth whose arguments are not strings with 422', async () => {
      const answer = await post('/verify', verifyBody([], [{ name: 'email_delete_email', arguments: { email_id: '1' } }]), await seeded());
      expect(answer.status).toBe(422);
      expect(answer.bodyText).toContain('string_type');
    });
  });

  it('/aggregate_metrics computes NeMo Gym-style stats', async () => {
    const answer = await post('/aggregate_metrics', JSON.stringify({
      verify_responses: [
        { _ng_task_index: 0, _ng_rollout_index: 0, reward: 1, response: { usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 } } },
        { _ng_task_index: 0, _ng_rollout_index: 1, reward: 0, response: { usage: { input_tokens: 20, output_tokens: 4, total_tokens: 24 } } },
        { _ng_task_index: 1, _ng_rollout_index: 0, reward: 1 },
        { _ng_task_index: 1, _ng_rollout_index: 1, reward: 1 },
      ],
    }));
    const metrics = JSON.parse(answer.bodyText) as { agent_metrics: Record<string, number>; key_metrics: Record<string, number>; group_level_metrics: Array<Record<string, number>> };
    expect(metrics.agent_metrics['mean/reward']).toBe(0.75);
    expect(metrics.agent_metrics['mean/input_tokens']).toBe(15);
    expect(metrics.agent_metrics['std/reward']).toBeCloseTo(0.5, 10);
    // NeMo Gym's default key metrics: every mean/* (no pass@k: workplace_assistant has no compute_metrics).
    expect(Object.keys(metrics.key_metrics)).toEqual(['mean/reward', 'mean/input_tokens', 'mean/output_tokens', 'mean/total_tokens']);
    expect(metrics.group_level_metrics.map((g) => g['mean/reward'])).toEqual([0.5, 1]);
    // Floats as pandas makes them: the token counts some rollouts lack are float64, so every max/min is a float.
    expect(answer.bodyText).toContain('"mean/reward":0.75,"mean/input_tokens":15.0,');
    expect(answer.bodyText).toContain('"max/reward":1.0,');
  });
});
