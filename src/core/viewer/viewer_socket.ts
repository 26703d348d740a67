import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/**
 * The viewer protocol's requests over one WebSocket per page: a message each way per request, on a connection
 * already open. A fetch per request costs the browser several milliseconds of its own (a new request through the
 * network service each time); opening a rollout is mostly that wait. The POST route stays for other clients.
 */

export interface RequestSocketOptions {
  path: string;
  /** Same checks as every HTTP route (address, token, origin); false: the upgrade is refused with 403. */
  allow(req: IncomingMessage): boolean;
  /** The answer to one request message (a response envelope, already serialised). */
  answer(text: string): Promise<string>;
  maxMessageBytes: number;
  onError(error: unknown): void;
}

export interface RequestSocket {
  close(): void;
}

/** Requests one page may have answered at once over its socket (a page has a handful; a burst waits). */
export const MAX_IN_FLIGHT_PER_SOCKET = 32;

function refuse(socket: Duplex, status: 403 | 404): void {
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachRequestSocket(server: Server, options: RequestSocketOptions): RequestSocket {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', options.onError);
    if (new URL(req.url ?? '/', 'http://viewer').pathname !== options.path) return refuse(socket, 404);
    // A browser always names the page's origin on a WebSocket handshake; one without it is not our page.
    if (req.headers.origin === undefined || !options.allow(req)) return refuse(socket, 403);
    sockets.handleUpgrade(req, socket, head, (ws) => serve(ws));
  };
  const serve = (ws: WebSocket): void => {
    ws.on('error', options.onError);
    // Backpressure: past this many requests in flight the socket stops reading until answers go out, so a burst
    // of pipelined requests cannot open a file handle each (EMFILE) or pile up in memory.
    // (Messages already received in one read still arrive after pause(): they wait in `waiting`.)
    let inFlight = 0;
    const waiting: string[] = [];
    const start = (text: string): void => {
      inFlight++;
      options
        .answer(text)
        .then(
          (reply) => {
            if (ws.readyState === ws.OPEN) ws.send(reply);
          },
          options.onError,
        )
        .finally(() => {
          inFlight--;
          const next = waiting.shift();
          if (next !== undefined) start(next);
          else if (ws.isPaused && ws.readyState === ws.OPEN) ws.resume();
        });
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'text messages only');
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
      if (inFlight < MAX_IN_FLIGHT_PER_SOCKET) return start(text);
      waiting.push(text);
      ws.pause();
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}
