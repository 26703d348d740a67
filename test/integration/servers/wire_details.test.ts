import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServers } from '../../../src/core/servers/api';
import { startTestServers } from '../../support/embedded';
import { startFakeOpenAIServer, fixedScript, type FakeOpenAIServer } from '../../support/fake_openai';

/**
 * What a client sees of our servers beside NeMo Gym's Python ones (FastAPI 0.142, Starlette 1.7, uvicorn, the
 * observed answers noted with each case).
 */

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, method: string, body?: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = request(url, { method, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let fake: FakeOpenAIServer;
let servers: RunningServers;
const urlOf = (name: string) => servers.servers.find((server) => server.name === name)!.url;

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ script: fixedScript(), apiKey: 'sk-wire-details-0123456789' });
  servers = await startTestServers({
    configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
    policyBaseUrl: fake.url,
    policyApiKey: 'sk-wire-details-0123456789',
    policyModelName: 'gpt-4.1-2025-04-14',
  });
});
afterAll(async () => {
  await servers.stop();
  await fake.close();
});

describe('wire details as NeMo Gym serves them', () => {
  it('servers with a session say `vary: Cookie` beside their cookie; the head server sets neither', async () => {
    for (const name of ['policy_model', 'workplace_assistant', 'workplace_assistant_simple_agent']) {
      const answer = await send(`${urlOf(name)}/`, 'GET');
      expect(answer.status, name).toBe(200);
      expect(answer.headers.vary, name).toBe('Cookie');
      expect(answer.headers['set-cookie'], name).toHaveLength(1);
    }
    const head = await send(`${servers.headServerUrl}/server_instances`, 'GET');
    expect(head.status).toBe(200);
    expect(head.headers['set-cookie']).toBeUndefined();
    expect(head.headers.vary).toBeUndefined();
  });

  it('405 names the allowed methods; HEAD is served wherever GET is', async () => {
    const resources = urlOf('workplace_assistant');
    for (const [path, method, allow] of [['/verify', 'GET', 'POST'], ['/seed_session', 'PUT', 'POST'], ['/company_directory_find_email_address', 'GET', 'POST'], ['/', 'POST', 'GET, HEAD']] as const) {
      const answer = await send(`${resources}${path}`, method);
      expect([answer.status, answer.headers.allow, answer.body], `${method} ${path}`).toEqual([405, allow, '{"detail":"Method Not Allowed"}']);
    }
    const agentRun = await send(`${urlOf('workplace_assistant_simple_agent')}/run`, 'GET');
    expect([agentRun.status, agentRun.headers.allow]).toEqual([405, 'POST']);
    const head = await send(`${resources}/`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('malformed JSON: 422 with Python json\'s message and character position; undecodable bytes: 400', async () => {
    const url = `${urlOf('workplace_assistant')}/seed_session`;
    const detail = (position: number, error: string) => JSON.stringify({ detail: [{ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error } }] });
    const cases: Array<[string | Buffer, string]> = [
      ['{"a": }', detail(6, 'Expecting value')],
      ['  x', detail(2, 'Expecting value')],
      ['{', detail(1, 'Expecting property name enclosed in double quotes')],
      ['[1,2', detail(4, "Expecting ',' delimiter")],
      ['{"a":1} x', detail(8, 'Extra data')],
      // Python 3.13 names a trailing comma (3.11 said "Expecting property name ...").
      ['{"a":1,}', detail(6, 'Illegal trailing comma before end of object')],
      // Positions count characters, not bytes.
      ['{"é": }', detail(6, 'Expecting value')],
    ];
    for (const [body, expected] of cases) {
      const answer = await send(url, 'POST', body);
      expect([answer.status, answer.body], String(body)).toEqual([422, expected]);
    }
    const bad = await send(url, 'POST', Buffer.from([0x7b, 0xff, 0x7d]));
    expect([bad.status, bad.body]).toEqual([400, '{"detail":"There was an error parsing the body"}']);
    // What Python's json accepts is a body (NaN), so a dict body passes.
    expect((await send(url, 'POST', '{"x": NaN}')).status).toBe(200);
  });

  it('NeMo Gym\'s /ng-rollout/<id> prefix: stripped by model and resources servers, served by agents before /v1/responses only', async () => {
    const resources = urlOf('workplace_assistant');
    const seeded = await send(`${resources}/ng-rollout/0-0/seed_session`, 'POST', '{}');
    expect([seeded.status, seeded.body]).toEqual([200, '{}']);
    const model = await send(`${urlOf('policy_model')}/ng-rollout/0-0/v1/responses`, 'POST', JSON.stringify({ input: 'hi' }));
    expect(model.status).toBe(200);
    expect((JSON.parse(model.body) as { object: string }).object).toBe('response');
    const agent = urlOf('workplace_assistant_simple_agent');
    expect((await send(`${agent}/ng-rollout/0-0/v1/responses`, 'POST', JSON.stringify({ input: 'hi', tools: [] }))).status).toBe(200);
    expect((await send(`${agent}/ng-rollout/0-0/run`, 'POST', '{}')).status).toBe(404);
  });

  it('/server_instances names each server by its config key and implementation, as NeMo Gym\'s ng_run does', async () => {
    const instances = JSON.parse((await send(`${servers.headServerUrl}/server_instances`, 'GET')).body) as Array<Record<string, unknown>>;
    const model = instances.find((instance) => instance.process_name === 'policy_model')!;
    expect(model).toMatchObject({ config_path: 'policy_model', server_type: 'responses_api_models', name: 'openai_model', entrypoint: 'app.py', status: null, uptime_seconds: null });
    expect(String(model.dir_path)).toMatch(/responses_api_models\/openai_model$/);
    expect(instances.map((instance) => `${String(instance.server_type)}/${String(instance.name)}`).sort()).toEqual([
      'resources_servers/workplace_assistant',
      'responses_api_agents/oracle_agent',
      'responses_api_agents/simple_agent',
      'responses_api_models/openai_model',
    ]);
  });

  it('the model server\'s answer has Python\'s float fields, and says how many upstream attempts it took', async () => {
    fake.setFaults({ byRequestIndex: { 0: { kind: 'rate_limit', retryAfterSeconds: 0.01 } } });
    try {
      const answer = await send(`${urlOf('policy_model')}/v1/responses`, 'POST', JSON.stringify({ input: 'hi', temperature: 1 }));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/"created_at":\d+\.0,/);
      expect(answer.headers['x-gym-upstream-attempts']).toBe('2');
    } finally {
      fake.setFaults(undefined);
    }
  });
});
