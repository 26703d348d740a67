/**
 * The SDK's fetch behind a corporate proxy: a real forward proxy on loopback (test/support/http_proxy.ts), plain
 * HTTP and HTTPS (CONNECT) targets, NO_PROXY, credentials, and proxies that refuse.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/model/model.js';
import { createNodeHttpFetch } from '../../../src/core/model/node_http_fetch.js';
import { createOpenAIResponsesModel } from '../../../src/core/model/openai_responses_model.js';
import { replayRecordedRollouts, startFakeOpenAIServer, EXAMPLE_ROLLOUTS_PATH, loadRecordedRollouts } from '../../support/fake_openai/index.js';
import { startHttpProxy } from '../../support/http_proxy.js';
import { FIXTURES_DIR } from '../../support/paths.js';
import { TEST_API_KEY, capturingLogger, createParams } from './support.js';

const CERT = readFileSync(join(FIXTURES_DIR, 'tls/localhost-cert.pem'));
const KEY = readFileSync(join(FIXTURES_DIR, 'tls/localhost-key.pem'));
const PASSWORD = 'proxy-pass-DO-NOT-LEAK-9c1f';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** An endpoint on loopback that answers with what it saw. */
async function startTarget(kind: 'http' | 'https'): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, secure: kind === 'https' }));
  };
  const server: Server = kind === 'https' ? createHttpsServer({ cert: CERT, key: KEY }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  server.unref();
  return { url: `${kind}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function proxy(options: Parameters<typeof startHttpProxy>[0] = {}) {
  const started = await startHttpProxy(options);
  cleanups.push(started.close);
  return started;
}

/** The message of a failed fetch and of its causes, as the SDK's connection errors show them. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('the request succeeded'),
    (caught: unknown) => caught,
  );
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message);
  return parts.join(' <- ');
}

describe('createNodeHttpFetch behind a proxy', () => {
  it('sends http URLs to the proxy with their absolute URL', async () => {
    const target = await startTarget('http');
    const forward = await proxy();
    const fetch = createNodeHttpFetch({ env: { HTTP_PROXY: forward.url } });
    const response = await fetch(`${target.url}/v1/models?x=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: '/v1/models?x=1', secure: false });
    expect(forward.requests).toEqual([{ method: 'GET', target: `${target.url}/v1/models?x=1`, proxyAuthorization: undefined }]);
  });

  it('tunnels https URLs through CONNECT, with the credentials of the variable', async () => {
    const target = await startTarget('https');
    const forward = await proxy({ credentials: `alice:${PASSWORD}` });
    const fetch = createNodeHttpFetch({ env: { https_proxy: `http://alice:${PASSWORD}@127.0.0.1:${forward.port}` }, ca: CERT });
    for (const path of ['/v1/responses', '/v1/models']) {
      const response = await fetch(`${target.url}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(await response.json()).toEqual({ path, secure: true });
    }
    expect(target.seen).toEqual(['POST /v1/responses', 'POST /v1/models']);
    expect(forward.requests.map((request) => request.method)).toContain('CONNECT');
    for (const request of forward.requests) {
      expect(request.target).toBe(new URL(target.url).host);
      expect(request.proxyAuthorization).toBe(`Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`);
    }
  });

  it('connects directly to what NO_PROXY lists', async () => {
    const target = await startTarget('https');
    const forward = await proxy();
    const fetch = createNodeHttpFetch({ env: { HTTPS_PROXY: forward.url, NO_PROXY: 'example.com, 127.0.0.1' }, ca: CERT });
    expect((await fetch(`${target.url}/direct`)).status).toBe(200);
    expect(target.seen).toEqual(['GET /direct']);
    expect(forward.requests).toEqual([]);
  });

  it('a proxy that is down: the error names the proxy, never its credentials', async () => {
    const target = await startTarget('https');
    const down = await proxy();
    await down.close();
    const fetch = createNodeHttpFetch({ env: { HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${down.port}` }, ca: CERT });
    const message = await failure(fetch(`${target.url}/v1/responses`));
    expect(message).toContain(`through the proxy http://127.0.0.1:${down.port} from HTTPS_PROXY`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain(PASSWORD);
    expect(target.seen).toEqual([]);
  });

  it('a proxy that refuses the tunnel, or the credentials: a clear error, not the endpoint answering', async () => {
    const target = await startTarget('https');
    const refusing = await proxy({ refuseTunnelsWith: 403 });
    const refused = createNodeHttpFetch({ env: { HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${refusing.port}` }, ca: CERT });
    const message = await failure(refused(`${target.url}/v1/responses`));
    expect(message).toContain(`the proxy http://127.0.0.1:${refusing.port} (HTTPS_PROXY) refused the tunnel to ${new URL(target.url).host}: HTTP 403`);
    expect(message).not.toContain(PASSWORD);

    const guarded = await proxy({ credentials: 'alice:right-password' });
    const wrong = createNodeHttpFetch({ env: { HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${guarded.port}` }, ca: CERT });
    expect(await failure(wrong(`${target.url}/v1/responses`))).toContain(`the proxy http://127.0.0.1:${guarded.port} (HTTPS_PROXY) refused the tunnel to ${new URL(target.url).host}: HTTP 407`);
    const plain = await startTarget('http');
    const wrongPlain = createNodeHttpFetch({ env: { HTTP_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${guarded.port}` } });
    expect(await failure(wrongPlain(`${plain.url}/v1/responses`))).toContain(`the proxy http://127.0.0.1:${guarded.port} (HTTP_PROXY) refused the request to ${new URL(plain.url).host}: HTTP 407`);
    expect(target.seen).toEqual([]);
    expect(plain.seen).toEqual([]);
  });
});

describe('the openai SDK behind a proxy (HTTP_PROXY in the environment)', () => {
  const rollout = loadRecordedRollouts(EXAMPLE_ROLLOUTS_PATH)[4]!;

  async function withProxyVariable<T>(value: string, run: () => Promise<T>): Promise<T> {
    const before = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = value;
    try {
      return await run();
    } finally {
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
    }
  }

  it('collects a model turn through the proxy', async () => {
    const upstream = await startFakeOpenAIServer({ script: replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), apiKey: TEST_API_KEY });
    cleanups.push(() => upstream.close());
    const forward = await proxy();
    const response = await withProxyVariable(forward.url, () =>
      createOpenAIResponsesModel({ baseURL: upstream.url, apiKey: TEST_API_KEY, model: 'gpt-4.1', maxRetries: 0 }).respond(createParams(rollout.responsesCreateParams)),
    );
    expect(response.output.length).toBeGreaterThan(0);
    expect(forward.requests.map((request) => request.target)).toEqual([`${upstream.url}/responses`]);
  });

  it('a proxy that is down gives a model error naming it, with no credentials in the message or the logs', async () => {
    const down = await proxy();
    await down.close();
    const logger = capturingLogger();
    const error = await withProxyVariable(`http://alice:${PASSWORD}@127.0.0.1:${down.port}`, () =>
      createOpenAIResponsesModel({ baseURL: 'http://127.0.0.1:9/v1', apiKey: TEST_API_KEY, model: 'gpt-4.1', maxRetries: 1, logger })
        .respond(createParams(rollout.responsesCreateParams))
        .then(() => expect.fail('the call succeeded'), (caught: unknown) => caught),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).kind).toBe('connection');
    expect((error as ModelError).message).toContain(`through the proxy http://127.0.0.1:${down.port} from HTTP_PROXY`);
    for (const text of [(error as ModelError).message, ...logger.lines]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TEST_API_KEY);
    }
  });
});
