import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WebSocketClient } from 'ws';
import type { ResponseEnvelope, ViewerEvent, ViewerHost } from '../../../src/core/viewer/protocol';
import { startViewerServer, type RunningViewerServer } from '../../../src/core/viewer/viewer_server';
import { ViewerSession } from '../../../src/core/viewer/viewer_session';
import { generateRolloutSet, makeTempDir, writeJsonl } from '../../support/rollout_fixtures';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; path?: string } = {}): Promise<Reply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path ?? `${target.pathname}${target.search}`, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('viewer HTTP server', () => {
  let server: RunningViewerServer;
  let session: ViewerSession;
  let base: string;
  let token: string;

  beforeAll(async () => {
    const dir = makeTempDir();
    const assets = join(dir, 'assets');
    mkdirSync(assets);
    writeFileSync(join(assets, 'viewer.js'), 'export {};');
    writeFileSync(join(assets, 'viewer.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve me');
    const set = generateRolloutSet({ tasks: 3, repeats: 1, withIndices: true, seed: 51 });
    session = new ViewerSession({ rolloutsPath: writeJsonl(join(dir, 'r.jsonl'), set.lines), host: 'browser', live: false });
    await session.whenReady();
    server = await startViewerServer({ host: session, assetsDir: assets });
    const url = new URL(server.url);
    token = url.searchParams.get('token') ?? '';
    base = `${url.protocol}//${url.host}`;
  });

  afterAll(async () => {
    await server.close();
    session.dispose();
  });

  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers 403 to every request without the token', async () => {
    for (const path of ['/', '/viewer.js', '/viewer.css', '/api/events', '/nope', '/?token=wrong']) {
      expect((await send(`${base}${path}`)).status, path).toBe(403);
    }
    const post = await send(`${base}/api/request`, { method: 'POST', body: JSON.stringify({ kind: 'request', id: 1, request: { type: 'ready' } }) });
    expect(post.status).toBe(403);
  });

  it('serves the page with a strict nonce policy and sets a cookie', async () => {
    const page = await send(`${base}/?token=${token}`);
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).not.toContain('unsafe-inline');
    // Indexed already: the first rows are in the page, the stylesheet inline, and the bundle runs after the first paint.
    expect(page.body).toContain(`<link rel="modulepreload" nonce="${nonce}" href="/viewer.js">`);
    expect(page.body).toContain(`<style nonce="${nonce}">body{}</style>`);
    expect(page.body).toContain('<div class="boot-preview"');
    expect(page.body.match(/class="vrow boot-row/g)).toHaveLength(3);
    // Two: the deferred start (nonce'd), the snapshot's JSON (data, never run) and nothing else.
    expect(page.body.match(/<script/g)).toHaveLength(2);
    expect(page.body).toContain(`<script nonce="${nonce}">{ let started = false;`);
    expect(page.body).toContain('<script type="application/json" id="viewer-boot">');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const cookiePair = cookie.split(';')[0] as string;
    const script = await send(`${base}/viewer.js`, { headers: { cookie: cookiePair } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves only the bundle files', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/viewer.js', '/r.jsonl', '//etc/passwd']) {
      const reply = await send(base, { path: `${path}${path.includes('?') ? '&' : '?'}token=${token}` });
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('do not serve me');
    }
  });

  it('refuses other host names and cross-site origins', async () => {
    expect((await send(`${base}/?token=${token}`, { headers: { host: 'evil.example:80' } })).status).toBe(403);
    const crossSite = await send(`${base}/api/request?token=${token}`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      body: JSON.stringify({ kind: 'request', id: 1, request: { type: 'ready' } }),
    });
    expect(crossSite.status).toBe(403);
  });

  it('answers protocol requests and rejects malformed ones', async () => {
    const ok = await send(`${base}/api/request`, {
      method: 'POST',
      headers: { 'x-viewer-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'request', id: 7, request: { type: 'rows', role: 'primary', entries: [0, 1] } }),
    });
    const envelope = JSON.parse(ok.body) as ResponseEnvelope;
    expect(envelope).toMatchObject({ kind: 'response', id: 7, ok: true });
    expect(envelope.ok && (envelope.result as { rows: unknown[] }).rows).toHaveLength(2);

    const bad = await send(`${base}/api/request`, { method: 'POST', headers: { 'x-viewer-token': token }, body: JSON.stringify({ kind: 'request', id: 8, request: { type: 'readFile', path: '/etc/passwd' } }) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false });
    const notJson = await send(`${base}/api/request`, { method: 'POST', headers: { 'x-viewer-token': token }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid request: the body is not JSON/) });
    const big = 'x'.repeat(2 * 1024 * 1024);
    for (const headers of [{ 'x-viewer-token': token }, { 'x-viewer-token': token, 'content-length': String(big.length) }] as Record<string, string>[]) {
      const tooBig = await send(`${base}/api/request`, { method: 'POST', headers, body: big });
      expect(tooBig.status).toBe(413);
      expect(JSON.parse(tooBig.body)).toMatchObject({ ok: false, error: expect.stringContaining('request body too large') });
    }
    // The server answers on after it.
    expect((await send(`${base}/api/request`, { method: 'POST', headers: { 'x-viewer-token': token }, body: JSON.stringify({ kind: 'request', id: 9, request: { type: 'ready' } }) })).status).toBe(200);
  });

  it('answers requests over a WebSocket with the token, and refuses the handshake without it', async () => {
    const socket = new WebSocketClient(`ws://${new URL(base).host}/api/socket?token=${token}`, { origin: base });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const ask = (text: string) =>
      new Promise<ResponseEnvelope>((resolve) => {
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')) as ResponseEnvelope));
        socket.send(text);
      });
    const rows = await ask(JSON.stringify({ kind: 'request', id: 11, request: { type: 'rows', role: 'primary', entries: [2] } }));
    expect(rows).toMatchObject({ id: 11, ok: true, result: { rows: [{ entry: 2 }] } });
    const invalid = await ask(JSON.stringify({ kind: 'request', id: 12, request: { type: 'readFile', path: '/etc/passwd' } }));
    expect(invalid).toMatchObject({ id: 0, ok: false });
    expect(invalid.ok === false && invalid.error).toMatch(/^invalid request/);
    expect(await ask('{')).toMatchObject({ id: 0, ok: false });
    // Over the size limit: the server closes the socket (1009); the rest of the server is unaffected.
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);

    const refused = async (url: string, headers: Record<string, string> = {}) => {
      const upgrade = await send(url, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } }).catch(() => ({ status: 0 }));
      return upgrade.status;
    };
    const origin = base;
    expect(await refused(`${base}/api/socket`, { origin })).toBe(403);
    expect(await refused(`${base}/api/socket?token=wrong`, { origin })).toBe(403);
    expect(await refused(`${base}/api/socket?token=${token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await refused(`${base}/api/socket?token=${token}`)).toBe(403);
    expect(await refused(`${base}/api/other?token=${token}`, { origin })).toBe(404);
    expect(await refused(`${base}/api/socket?token=${token}`, { origin, host: 'evil.example:80' })).toBe(403);
    // And the server still answers.
    expect((await send(`${base}/?token=${token}`)).status).toBe(200);
  });

  it('streams events', async () => {
    const events: ViewerEvent[] = [];
    const listeners: ((e: ViewerEvent) => void)[] = [];
    const host: ViewerHost = {
      handle: () => Promise.reject(new Error('unused')),
      onEvent: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const emit = (e: ViewerEvent) => listeners.forEach((l) => l(e));
    const dir = makeTempDir();
    writeFileSync(join(dir, 'viewer.js'), '');
    const sse = await startViewerServer({ host, assetsDir: dir });
    const url = new URL(sse.url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: `/api/events${url.search}` }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (const block of buffer.split('\n\n').slice(0, -1)) {
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) events.push((JSON.parse(data.slice(6)) as { event: ViewerEvent }).event);
          }
          buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
          if (events.length) {
            req.destroy();
            resolve();
          }
        });
        // The server subscribes before it sends the headers: an event emitted now reaches this stream.
        expect(listeners).toHaveLength(1);
        emit({ type: 'problem', message: 'hello' });
      });
      req.on('error', (error) => (events.length ? resolve() : reject(error)));
      req.end();
    });
    expect(events[0]).toEqual({ type: 'problem', message: 'hello' });
    await sse.close();
  });
});
