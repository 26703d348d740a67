import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger';
import { HttpClient } from '../../../src/core/servers/http/http_client';
import { jsonResponse, NemoHttpServer } from '../../../src/core/servers/http/http_server';
import { CliProcess } from '../../support/cli';
import { fixedScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * Hostile request bodies and upstream answers against a real `ng_run` (a child process): none of them may end
 * the process, and each gets a 4xx (or, for an upstream's fault, a model error) with a readable body.
 */
describe('hostile bodies against ng_run', () => {
  let fake: FakeOpenAIServer;
  let ngRun: CliProcess;
  let headUrl: string;
  const client = new HttpClient();
  const urlOf = (name: string) => new RegExp(`^${name}\\s+(http://\\S+)`, 'm').exec(ngRun.stdout)![1]!;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: fixedScript() });
    const port = await freePort();
    ngRun = new CliProcess('ng_run', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${port}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:TEST_KEY}',
      '+policy_model_name=gpt-4.1-2025-04-14',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      '+in_process_transport=false',
      '+policy_model.responses_api_models.openai_model.max_retries=0',
    ], { env: { TEST_KEY: 'sk-test-hostile-bodies-0000' } });
    await ngRun.waitFor(/All 5 \/ 5 servers ready/);
    headUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    client.close();
    await ngRun?.stop('SIGKILL');
    await fake?.close();
  });

  async function stillAlive(): Promise<void> {
    expect(ngRun.child.exitCode).toBeNull();
    const answer = await client.get(`${headUrl}/`);
    expect(answer.status).toBe(200);
  }

  it('a body nested 10,000 deep to /v1/responses gets a 422 and the process lives on', async () => {
    const answer = await client.post(`${urlOf('policy_model')}/v1/responses`, deepArray(10_000));
    expect(answer.status).toBe(422);
    const detail = (JSON.parse(answer.bodyText) as { detail: Array<{ type: string; loc: unknown[]; ctx: { error: string } }> }).detail[0]!;
    expect(detail.type).toBe('json_invalid');
    expect(detail.ctx.error).toMatch(/nested deeper than 512 levels/);
    await stillAlive();
  });

  it.each([
    ['workplace_assistant', '/verify'],
    ['workplace_assistant', '/aggregate_metrics'],
    ['workplace_assistant_simple_agent', '/run'],
    ['workplace_assistant_simple_agent', '/v1/responses'],
    ['workplace_assistant_oracle_agent', '/run'],
  ])('%s %s answers 422 to a 10,000-deep body', async (server, path) => {
    const body = `{"responses_create_params": {"input": "x"}, "response": {"output": ${deepArray(10_000)}}, "verify_responses": []}`;
    const answer = await client.post(`${urlOf(server)}${path}`, body);
    expect(answer.status, answer.bodyText).toBe(422);
    expect(answer.bodyText).toContain('nested deeper than 512 levels');
    await stillAlive();
  });

  it('an upstream answer nested 10,000 deep is a model error, not a crash (+in_process_transport=false)', async () => {
    fake.setFaults({ decide: () => ({ kind: 'deeply_nested', depth: 10_000 }) });
    try {
      const answer = await client.post(`${urlOf('policy_model')}/v1/responses`, JSON.stringify({ input: 'hello' }));
      expect(answer.status).toBe(502);
      expect(answer.bodyText).toMatch(/nests JSON deeper than 512 levels/);
      const run = await client.post(`${urlOf('workplace_assistant_simple_agent')}/run`, JSON.stringify({ responses_create_params: { input: 'hello' } }));
      expect(run.status).toBe(500);
      expect(run.headers['x-gym-failure-class']).toMatch(/^model_error/);
    } finally {
      fake.setFaults(undefined);
    }
    await stillAlive();
  });

  it('an upstream answer larger than max_answer_mb is refused unread', async () => {
    fake.setFaults({ decide: () => ({ kind: 'oversized', bytes: 40 * 1024 * 1024 }) });
    try {
      const answer = await client.post(`${urlOf('policy_model')}/v1/responses`, JSON.stringify({ input: 'hello' }));
      expect(answer.status).toBe(502);
      expect(answer.bodyText).toMatch(/larger than 32\.0 MiB/);
    } finally {
      fake.setFaults(undefined);
    }
    await stillAlive();
  });
});

describe('NemoHttpServer guards', () => {
  let server: NemoHttpServer;
  let url: string;
  const client = new HttpClient();
  const logged: string[] = [];

  beforeAll(async () => {
    const logger = { ...silentLogger, error: (line: string) => logged.push(line), warn: (line: string) => logged.push(line) };
    server = new NemoHttpServer({ identity: 'Test___guards', logger, requestTimeoutMs: 300, connectionsCheckingIntervalMs: 50 });
    server.route('POST', '/cyclic', () => {
      const value: Record<string, unknown> = {};
      value.self = value;
      return { status: 200, json: value };
    });
    server.route('POST', '/deep-answer', () => {
      let value: unknown = [];
      for (let i = 0; i < 20_000; i++) value = [value];
      return { status: 200, json: value };
    });
    server.route('POST', '/throws-a-string', () => {
      throw 'not an Error';
    });
    server.route('POST', '/ok', () => jsonResponse(200, '{"ok":true}'));
    url = await server.listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    client.close();
    await server?.close();
  });

  it('an answer that cannot be serialised is a 500, and the server keeps serving', async () => {
    for (const path of ['/cyclic', '/deep-answer', '/throws-a-string']) {
      const answer = await client.post(`${url}${path}`, '{}');
      expect(answer.status, path).toBe(500);
    }
    expect((await client.post(`${url}/ok`, '{}')).status).toBe(200);
    expect(logged.some((line) => line.includes('could not serialise'))).toBe(true);
  });

  it('a client that trickles its body is cut off at the request deadline', async () => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.write('POST /ok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect((await client.post(`${url}/ok`, '{}')).status).toBe(200);
  });
});
