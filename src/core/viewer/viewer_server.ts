import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { parseCookieHeader } from '../servers/http/session_cookie';
import { HTTP_EVENTS_PATH, HTTP_REQUEST_PATH, HTTP_SOCKET_PATH, type EventEnvelope, type ResponseEnvelope, type ViewerHost } from './protocol';
import { silentLogger, type Logger } from '../logger';
import { RequestEnvelopeSchema } from './request_schema';
import { browserContentSecurityPolicy, renderViewerPage } from './viewer_html';
import { attachRequestSocket } from './viewer_socket';

/**
 * ng_viewer's HTTP server: the viewer page, the bundle files, and the viewer protocol over HTTP (requests over a
 * WebSocket or as POST, events as Server-Sent Events). It listens on 127.0.0.1 only and answers 403 to any request without the
 * session's random token (in the URL once, then in a cookie). No request parameter reaches the file system: the
 * static files are a fixed list taken from the bundle directory at start.
 */

export interface ViewerServerOptions {
  host: ViewerHost;
  /** The webview bundle directory (`dist/webview`). */
  assetsDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  title?: string;
  logger?: Logger;
}

export interface RunningViewerServer {
  /** The address to open, token included. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** The files the server may send: `/<name>` for each regular file at the top of the bundle directory. */
function staticFiles(assetsDir: string): Map<string, { path: string; type: string }> {
  const files = new Map<string, { path: string; type: string }>();
  for (const name of readdirSync(assetsDir)) {
    const type = CONTENT_TYPES[extname(name)];
    const path = join(assetsDir, name);
    if (type && statSync(path).isFile()) files.set(`/${name}`, { path, type });
  }
  if (!files.has('/viewer.js')) throw new Error(`the viewer bundle is missing from ${assetsDir} (run the build)`);
  return files;
}

function sameToken(given: string | null | undefined, token: Buffer): boolean {
  if (!given) return false;
  const bytes = Buffer.from(given, 'utf8');
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

function cookieValue(header: string | undefined, name: string): string | null {
  return parseCookieHeader(header).get(name) ?? null;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

class BodyTooLarge extends Error {
  constructor() {
    super(`request body too large (over ${MAX_BODY_BYTES} bytes)`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startViewerServer(options: ViewerServerOptions): Promise<RunningViewerServer> {
  const logger = options.logger ?? silentLogger;
  const files = staticFiles(options.assetsDir);
  const tokenText = randomBytes(24).toString('base64url');
  const token = Buffer.from(tokenText, 'utf8');
  const streams = new Set<ServerResponse>();
  let port = 0;
  let cookieName = '';
  let allowedHosts = new Set<string>();

  const authorised = (req: IncomingMessage, url: URL): boolean =>
    sameToken(url.searchParams.get('token'), token) ||
    sameToken(cookieValue(req.headers.cookie, cookieName), token) ||
    sameToken(req.headers['x-viewer-token'] as string | undefined, token);

  const inlineStyle = files.has('/viewer.css') ? readFileSync((files.get('/viewer.css') as { path: string }).path, 'utf8') : null;
  const servePage = (res: ServerResponse): void => {
    const nonce = randomBytes(18).toString('base64');
    const csp = browserContentSecurityPolicy(nonce);
    const html = renderViewerPage({
      nonce,
      scriptUri: '/viewer.js',
      styleUri: '/viewer.css',
      contentSecurityPolicy: csp,
      title: options.title ?? 'Gym Rollouts viewer',
      host: 'browser',
      inlineStyle,
      boot: options.host.bootSnapshot?.() ?? null,
    });
    send(res, 200, html, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'set-cookie': `${cookieName}=${tokenText}; HttpOnly; SameSite=Strict; Path=/`,
    });
  };

  /** One request envelope (JSON text) to its response envelope, for the POST route and the socket alike. */
  const answer = async (body: string): Promise<{ status: number; envelope: ResponseEnvelope }> => {
    let id = 0;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return { status: 400, envelope: { kind: 'response', id: 0, ok: false, error: `invalid request: the body is not JSON (${(error as Error).message})` } };
    }
    try {
      const envelope = RequestEnvelopeSchema.safeParse(json);
      if (!envelope.success) {
        const issue = envelope.error.issues[0];
        return { status: 400, envelope: { kind: 'response', id: 0, ok: false, error: `invalid request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}` } };
      }
      id = envelope.data.id;
      const result = await options.host.handle(envelope.data.request);
      return { status: 200, envelope: { kind: 'response', id, ok: true, result } };
    } catch (error) {
      return { status: 500, envelope: { kind: 'response', id, ok: false, error: error instanceof Error ? error.message : String(error) } };
    }
  };

  const serveRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      const envelope: ResponseEnvelope = { kind: 'response', id: 0, ok: false, error: error instanceof Error ? error.message : String(error) };
      if (!(error instanceof BodyTooLarge)) return send(res, 500, JSON.stringify(envelope), { 'content-type': 'application/json; charset=utf-8' });
      // Answered before the rest of the body is read; the connection then closes instead of reading it.
      res.once('finish', () => req.destroy());
      return send(res, 413, JSON.stringify(envelope), { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    }
    const { status, envelope } = await answer(body);
    send(res, status, JSON.stringify(envelope), { 'content-type': 'application/json; charset=utf-8' });
  };

  const serveEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = options.host.onEvent((event) => {
      res.write(`data: ${JSON.stringify({ kind: 'event', event } satisfies EventEnvelope)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  };

  /** Why a request may not be served (null: it may): our address only (DNS rebinding), the token, our origin. */
  const refusal = (req: IncomingMessage, url: URL): string | null => {
    if (!allowedHosts.has(req.headers.host ?? '')) return 'forbidden';
    if (!authorised(req, url)) return 'forbidden: open the address ng_viewer printed (it carries the token)';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return 'forbidden origin';
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const refused = refusal(req, url);
    if (refused !== null) return send(res, 403, refused);

    if (req.method === 'GET' && url.pathname === '/') return servePage(res);
    if (req.method === 'POST' && url.pathname === HTTP_REQUEST_PATH) return serveRequest(req, res);
    if (req.method === 'GET' && url.pathname === HTTP_EVENTS_PATH) return serveEvents(req, res);
    const file = req.method === 'GET' ? files.get(url.pathname) : undefined;
    if (file) return send(res, 200, await readFile(file.path), { 'content-type': file.type });
    send(res, req.method === 'GET' || req.method === 'POST' ? 404 : 405, 'not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn(`viewer server: ${String(error)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const socket = attachRequestSocket(server, {
    path: HTTP_SOCKET_PATH,
    allow: (req) => refusal(req, new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`)) === null,
    answer: async (text) => JSON.stringify((await answer(text)).envelope),
    maxMessageBytes: MAX_BODY_BYTES,
    onError: (error) => logger.warn(`viewer server socket: ${String(error)}`),
  });
  port = (server.address() as AddressInfo).port;
  // Cookies ignore ports: name the cookie per port so two viewers on one machine do not log each other out.
  cookieName = `gym_viewer_${port}`;
  allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);

  return {
    url: `http://${LOOPBACK}:${port}/?token=${tokenText}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        streams.clear();
        socket.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
