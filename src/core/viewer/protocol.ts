/**
 * The one contract between the viewer UI and its host (the VS Code extension over postMessage, or ng_viewer over
 * HTTP + Server-Sent Events). Both sides import this file (the webview from here: core never imports the webview). The webview sends requests and receives exactly one
 * response per request id; the host also pushes events. The webview starts with a `ready` request (the
 * handshake): the host answers with what it serves and only then sends events.
 */
import type { CompareResult, FileInfo, FileRole, RolloutRow, RolloutView, SearchMatch, SummaryStats } from './model';
import type { ViewerRequest } from './request_schema';

export type { CompareResult, FileInfo, FileRole, RolloutFilter, RolloutRow, RolloutView, SearchMatch, SortSpec, SummaryStats } from './model';
export { MAX_ROWS_PER_REQUEST } from './request_limits';
export type { ViewerRequest } from './request_schema';

export const PROTOCOL_VERSION = 1;

export interface InitInfo {
  protocol: number;
  host: 'vscode' | 'browser';
  primary: FileInfo;
  compare: FileInfo | null;
  /** Categories across the primary file (own or joined), sorted. */
  categories: string[];
  /** The host watches the file and sends `appended` events. */
  live: boolean;
  /** The index is still being built; `indexed` follows. */
  indexing: boolean;
  /** A rollout to open first (e.g. from the Runs view). */
  initialEntry: number | null;
  /** Why the rollout file could not be read, if it could not. */
  problem: string | null;
}

export type ViewerRequestType = ViewerRequest['type'];

/** The result of each request type. */
export interface ViewerResults {
  ready: InitInfo;
  summary: SummaryStats;
  /** Entries of the primary file passing the filter, in sort order. */
  query: { entries: number[]; total: number };
  rows: { rows: RolloutRow[] };
  rollout: RolloutView;
  compare: CompareResult | null;
  /** The search runs on; matches arrive as `searchMatches` events, then `searchDone`. */
  search: { candidates: number };
  cancelSearch: { cancelled: boolean };
}

export type RequestOf<T extends ViewerRequestType> = Extract<ViewerRequest, { type: T }>;
export type ResultOf<T extends ViewerRequestType> = ViewerResults[T];

export type ViewerEvent =
  | { type: 'indexProgress'; role: FileRole; bytes: number; total: number }
  | { type: 'indexed'; info: InitInfo }
  /** New lines were indexed (live mode). */
  | { type: 'appended'; role: FileRole; added: number; info: InitInfo }
  /** The file shrank or was replaced and was indexed again from the start. */
  | { type: 'reset'; role: FileRole; info: InitInfo }
  | { type: 'searchMatches'; searchId: string; matches: SearchMatch[]; scanned: number; candidates: number }
  | { type: 'searchDone'; searchId: string; scanned: number; matched: number; limitReached: boolean; cancelled: boolean }
  | { type: 'problem'; message: string }
  /** Open this rollout (the editor asked, e.g. from the Runs view, for a panel already open). */
  | { type: 'reveal'; entry: number };

// ---- envelopes: what actually crosses postMessage / HTTP ----

export interface RequestEnvelope {
  kind: 'request';
  id: number;
  request: ViewerRequest;
}

export type ResponseEnvelope =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string };

export interface EventEnvelope {
  kind: 'event';
  event: ViewerEvent;
}

export type HostToWebview = ResponseEnvelope | EventEnvelope;

/** HTTP transport paths (ng_viewer). */
export const HTTP_REQUEST_PATH = '/api/request';
export const HTTP_EVENTS_PATH = '/api/events';

/** The part of a host the request handlers need: answer requests, push events. */
export interface ViewerHost {
  handle<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>>;
  onEvent(listener: (event: ViewerEvent) => void): () => void;
}
