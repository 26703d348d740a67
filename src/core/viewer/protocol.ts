/**
 * The one contract between the viewer UI and its host (the VS Code extension over postMessage, or ng_viewer over
 * HTTP + Server-Sent Events). Both sides import this file (the webview from here: core never imports the webview). The webview sends requests and receives exactly one
 * response per request id; the host also pushes events. The webview starts with a `ready` request (the
 * handshake): the host answers with what it serves and only then sends events.
 */
import type { CompareResult, FailureList, FileInfo, FileRole, RolloutRow, RolloutView, SearchMatch, SummaryStats, TaskInput } from './model';
import type { RolloutFilter, SortSpec, ViewerRequest } from './request_schema';

export type { CompareResult, FailureList, FileInfo, FileRole, RolloutFilter, RolloutRow, RolloutView, SearchMatch, SortSpec, SummaryStats, TaskInput } from './model';
export { MAX_ROWS_PER_REQUEST } from './request_limits';
export type { ViewerRequest } from './request_schema';

export const PROTOCOL_VERSION = 2;

/** The viewer's tabs; `failures` and `compare` are there only when the session has them. */
export type ViewerTab = 'summary' | 'rollouts' | 'compare' | 'failures';
export const VIEWER_TABS: readonly ViewerTab[] = ['summary', 'rollouts', 'compare', 'failures'];

/** What the host can do for the page beyond answering data requests. */
export interface HostAbilities {
  /** `revealLine` opens the file at a line in an editor. */
  revealLine: boolean;
  /** `openLink` opens a link (after asking). */
  openLinks: boolean;
}

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
  /** A rollout to open first (e.g. from the Runs view), and the turn to scroll to in it. */
  initialEntry: number | null;
  initialTurn: number | null;
  /** Or the rollout to open first by task and repeat (a deep link); the page looks it up with `locate`. */
  initialRollout: { taskIndex: number; rolloutIndex: number | null } | null;
  /** The tab to show first (e.g. the failures of a run); null: the page decides. */
  initialTab: ViewerTab | null;
  /** `<stem>_failures.jsonl` beside the rollout file, when there is one. */
  failuresPath: string | null;
  abilities: HostAbilities;
  /** Why the rollout file could not be read, if it could not. */
  problem: string | null;
}

/** The list as a first visit shows it: every rollout, in file order. */
export const DEFAULT_FILTER: RolloutFilter = { reward: 'all', categories: [], errors: 'any', taskId: '', turnsMin: null, turnsMax: null };
export const DEFAULT_SORT: SortSpec = { key: 'line', descending: false };

/**
 * What the host writes into the page when the file is already indexed, so the page shows the list without asking:
 * the `ready` answer, and the list as last queried (entries as [first, count] runs, null when too scattered to be
 * worth it) with its first rows.
 */
export interface BootSnapshot {
  info: InitInfo;
  list: { filter: RolloutFilter; sort: SortSpec; total: number; entryRuns: [number, number][] | null; rows: RolloutRow[] };
}

/** The page element holding the BootSnapshot's JSON. */
export const BOOT_ELEMENT_ID = 'viewer-boot';

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
  failures: FailureList | null;
  itemText: { text: string | null };
  taskInput: TaskInput;
  rawLine: { lineNumber: number; text: string; bytes: number; truncated: boolean };
  revealLine: { revealed: boolean };
  locate: { entry: number | null };
  openLink: { opened: boolean };
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
  /** Open this rollout (the editor asked, e.g. from the Runs view, for a panel already open), or show a tab. */
  | { type: 'reveal'; entry: number | null; rollout?: { taskIndex: number; rolloutIndex: number | null } | null; turn?: number | null; tab?: ViewerTab | null };

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
/** Requests over one WebSocket (the same envelopes as the POST route). */
export const HTTP_SOCKET_PATH = '/api/socket';

/** The part of a host the request handlers need: answer requests, push events. */
export interface ViewerHost {
  handle<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>>;
  onEvent(listener: (event: ViewerEvent) => void): () => void;
  /** What a page served now starts with (see BootSnapshot); absent or null: the page asks. */
  bootSnapshot?(): BootSnapshot | null;
}
