import {
  HTTP_EVENTS_PATH,
  HTTP_REQUEST_PATH,
  HTTP_SOCKET_PATH,
  type HostToWebview,
  type RequestEnvelope,
  type RequestOf,
  type ResponseEnvelope,
  type ResultOf,
  type ViewerEvent,
  type ViewerRequestType,
} from '../src/core/viewer/protocol';

/**
 * The UI's single way to reach its host. Two implementations of the same protocol: postMessage inside a VS Code
 * webview, fetch + Server-Sent Events in a browser served by ng_viewer.
 */
export interface HostConnection {
  readonly kind: 'vscode' | 'browser';
  request<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>>;
  onEvent(listener: (event: ViewerEvent) => void): void;
  /** UI state that survives the webview being hidden and shown (or a page reload). */
  loadState<S>(): S | null;
  saveState<S>(state: S): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const REQUEST_TIMEOUT_MS = 120_000;

class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  create(): { id: number; promise: Promise<unknown> } {
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the host did not answer in time'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { id, promise };
  }

  settle(response: ResponseEnvelope): void {
    const entry = this.pending.get(response.id);
    if (!entry) return;
    this.pending.delete(response.id);
    clearTimeout(entry.timer);
    if (response.ok) entry.resolve(response.result);
    else entry.reject(new Error(response.error));
  }
}

function isHostMessage(value: unknown): value is HostToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'response' || kind === 'event';
}

export function connectToVsCode(): HostConnection {
  const api = acquireVsCodeApi();
  const pending = new PendingRequests();
  const listeners: ((event: ViewerEvent) => void)[] = [];
  window.addEventListener('message', (message: MessageEvent) => {
    const data: unknown = message.data;
    if (!isHostMessage(data)) return;
    if (data.kind === 'response') pending.settle(data);
    else for (const listener of listeners) listener(data.event);
  });
  return {
    kind: 'vscode',
    request<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>> {
      const { id, promise } = pending.create();
      api.postMessage({ kind: 'request', id, request } satisfies RequestEnvelope);
      return promise as Promise<ResultOf<T>>;
    },
    onEvent: (listener) => void listeners.push(listener),
    loadState: <S>() => (api.getState() as S | undefined) ?? null,
    saveState: (state) => api.setState(state),
  };
}

/** POST one request envelope; the answer's envelope. */
async function postRequest(envelope: RequestEnvelope, token: string | null): Promise<ResponseEnvelope> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(HTTP_REQUEST_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-viewer-token': token } : {}) },
      body: JSON.stringify(envelope),
      signal: controller.signal,
      credentials: 'same-origin',
    });
    const body = (await response.json().catch(() => null)) as ResponseEnvelope | null;
    if (!body) throw new Error(`the viewer server answered ${response.status}`);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Requests over one WebSocket while it is open (a message each way: a fetch per request costs the browser several
 * milliseconds more); over POST before it opens, if it cannot open, and after it closes. A request in flight when
 * the socket closes is sent again by POST: requests only read.
 */
class RequestChannel {
  private socket: WebSocket | null = null;
  private opened: Promise<boolean>;
  private readonly pending = new PendingRequests();
  /** Sent over the socket and not answered yet. */
  private readonly unanswered = new Map<number, RequestEnvelope>();

  constructor(private readonly token: string | null) {
    this.opened = this.open();
  }

  private open(): Promise<boolean> {
    if (typeof WebSocket !== 'function') return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let socket: WebSocket;
      try {
        const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
        socket = new WebSocket(`${scheme}//${location.host}${HTTP_SOCKET_PATH}${this.token ? `?token=${encodeURIComponent(this.token)}` : ''}`);
      } catch {
        return resolve(false);
      }
      socket.onopen = () => {
        this.socket = socket;
        resolve(true);
      };
      socket.onmessage = (message: MessageEvent<unknown>) => this.onMessage(message.data);
      socket.onclose = () => {
        this.socket = null;
        resolve(false);
        this.opened = Promise.resolve(false);
        const orphans = [...this.unanswered.values()];
        this.unanswered.clear();
        for (const envelope of orphans) this.post(envelope);
      };
    });
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (!isHostMessage(parsed) || parsed.kind !== 'response') return;
    this.unanswered.delete(parsed.id);
    this.pending.settle(parsed);
  }

  private post(envelope: RequestEnvelope): void {
    postRequest(envelope, this.token).then(
      // The answer belongs to this request even when the server could not read its id (a 400 says id 0).
      (response) => this.pending.settle({ ...response, id: envelope.id }),
      (error: unknown) => this.pending.settle({ kind: 'response', id: envelope.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  }

  /** The request's result; rejects with the host's error. */
  async request(request: RequestEnvelope['request']): Promise<unknown> {
    const { id, promise } = this.pending.create();
    const envelope: RequestEnvelope = { kind: 'request', id, request };
    const socket = this.socket ?? ((await this.opened) ? this.socket : null);
    if (socket) {
      this.unanswered.set(id, envelope);
      socket.send(JSON.stringify(envelope));
    } else {
      this.post(envelope);
    }
    return promise.finally(() => this.unanswered.delete(id));
  }
}

export function connectOverHttp(): HostConnection {
  const token = new URLSearchParams(location.search).get('token');
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';
  const listeners: ((event: ViewerEvent) => void)[] = [];
  const stateKey = `gym-rollouts-viewer:${location.pathname}`;
  const channel = new RequestChannel(token);
  const events = new EventSource(`${HTTP_EVENTS_PATH}${tokenQuery}`);
  events.onmessage = (message: MessageEvent<string>) => {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (isHostMessage(data) && data.kind === 'event') for (const listener of listeners) listener(data.event);
  };
  return {
    kind: 'browser',
    request<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>> {
      return channel.request(request) as Promise<ResultOf<T>>;
    },
    onEvent: (listener) => void listeners.push(listener),
    loadState: <S>() => {
      try {
        const raw = sessionStorage.getItem(stateKey);
        return raw ? (JSON.parse(raw) as S) : null;
      } catch {
        return null;
      }
    },
    saveState: (state) => {
      try {
        sessionStorage.setItem(stateKey, JSON.stringify(state));
      } catch {
        // storage full or disabled: state is only a convenience
      }
    },
  };
}

export function connect(): HostConnection {
  return typeof acquireVsCodeApi === 'function' ? connectToVsCode() : connectOverHttp();
}
