import type { IncomingHttpHeaders } from 'node:http';

/** A request handed to a server in this process without a socket. */
export interface InProcessRequest {
  method: string;
  /** Path and query, as on the request line. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as a value, when the caller has it (then `body` may be empty); receivers treat it as read-only. */
  json?: unknown;
  signal: AbortSignal;
}

export interface InProcessResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Absent when the answer is only a value (`json`), serialised only if someone asks for the text. */
  body?: string | Buffer;
  json?: unknown;
  /** How `json` becomes text when someone asks for it (default JSON.stringify). */
  jsonText?: () => string;
}

export interface InProcessServer {
  dispatchInProcess(request: InProcessRequest): Promise<InProcessResponse>;
}

/**
 * Servers listening in this process, by origin (`http://127.0.0.1:PORT`). When the collector, an agent and its
 * peers share a process (`ng_run`, the one-command collection, the editor's host), a client may hand requests
 * straight to the server: the same routes, bodies, statuses and cookies, without the socket round trip.
 * Servers stay reachable over HTTP for everyone else.
 */
const servers = new Map<string, InProcessServer>();

export function registerInProcessServer(origin: string, server: InProcessServer): void {
  servers.set(origin, server);
}

export function unregisterInProcessServer(origin: string, server: InProcessServer): void {
  if (servers.get(origin) === server) servers.delete(origin);
}

export function inProcessServerFor(url: URL): InProcessServer | undefined {
  return servers.get(url.origin);
}
