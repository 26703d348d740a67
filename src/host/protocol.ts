/**
 * The extension ↔ host-process protocol: JSON-RPC over the fork IPC channel. Declared once, imported by both
 * `src/extension/host/host_process.ts` and `src/host/main.ts`, so the two sides cannot disagree on a method name or
 * a payload. Methods are namespaced (`servers/…`, `collection/…`). Payloads are plain JSON.
 *
 * Secrets never travel in these payloads: the API key reaches the host through its environment only.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc/node';
import type { CollectionOptions, CollectionProgress, CollectionSummary } from '../core/collect/api';
import type { RewardChange } from '../core/reverify/reverify_rollouts';
import type { ServerInfo } from '../core/servers/api';

/** Environment variable that carries the policy API key into the host (referenced by `${oc.env:...}` in argv). */
export const POLICY_API_KEY_ENV = 'GYM_ROLLOUTS_POLICY_API_KEY';

/** Error codes the host returns in `ResponseError.code` (JSON-RPC application range). */
export const HostErrorCode = {
  /** The request names something the host does not have (an unknown run id). */
  NotFound: -32010,
  /** The request conflicts with the host's state (servers already starting, run id in use). */
  Conflict: -32011,
  /** The operation itself failed (servers did not start, config invalid). */
  OperationFailed: -32012,
} as const;

// ── host ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface HostHello {
  pid: number;
  nodeVersion: string;
  /** Ids of collections that are running in this host (empty right after a start). */
  runningCollections: string[];
}
export const hostHello = new RequestType<Record<string, never>, HostHello, void>('host/hello');

/** Stop collections (cancelled, their partial output kept) and servers; the host exits after answering. */
export const hostShutdown = new RequestType<Record<string, never>, void, void>('host/shutdown');

// ── servers ───────────────────────────────────────────────────────────────────────────────────────────────────

/** `external`: the host uses an existing deployment's head server and starts nothing itself. */
export type ServersState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed' | 'external';

export interface ServersStatus {
  state: ServersState;
  headServerUrl: string | null;
  servers: ServerInfo[];
  dataDirectory: string | null;
  policyBaseUrl: string | null;
  policyModelName: string | null;
  /** Why the servers failed (already redacted). */
  error: string | null;
}

export interface ServersStartParams {
  /** Hydra-style `ng_run` arguments; an API key appears only as `${oc.env:...}`. */
  argv: string[];
  cwd: string;
}
export const serversStart = new RequestType<ServersStartParams, ServersStatus, void>('servers/start');
export const serversStop = new RequestType<Record<string, never>, ServersStatus, void>('servers/stop');
export const serversStatus = new RequestType<Record<string, never>, ServersStatus, void>('servers/status');
export const serversStateChanged = new NotificationType<ServersStatus>('servers/stateChanged');

// ── config ────────────────────────────────────────────────────────────────────────────────────────────────────

export interface ConfigDumpParams {
  argv: string[];
  cwd: string;
  /** When set, the running deployment's config is fetched from this head server instead of resolving argv. */
  headServerUrl?: string | null;
}
export interface ConfigDump {
  /** Resolved YAML with every secret value replaced. */
  yaml: string;
  source: 'argv' | 'head-server';
}
export const configDump = new RequestType<ConfigDumpParams, ConfigDump, void>('config/dump');

// ── collection ────────────────────────────────────────────────────────────────────────────────────────────────

export interface CollectionStartParams {
  /** Chosen by the extension; stays the same when a run is resumed in a new host. */
  runId: string;
  options: CollectionOptions;
  /** An external head server; null uses the host's own servers (which must be running). */
  headServerUrl: string | null;
}
export interface CollectionStarted {
  runId: string;
}
/** Answers as soon as the collection is under way; its end arrives as `collection/finished`. */
export const collectionStart = new RequestType<CollectionStartParams, CollectionStarted, void>('collection/start');

export interface CollectionCancelParams {
  runId: string;
}
export interface CollectionCancelled {
  /** False when no such run was running. */
  wasRunning: boolean;
}
export const collectionCancel = new RequestType<CollectionCancelParams, CollectionCancelled, void>('collection/cancel');

export interface CollectionProgressParams {
  runId: string;
  progress: CollectionProgress;
}
export const collectionProgress = new NotificationType<CollectionProgressParams>('collection/progress');

export interface CollectionNoticeParams {
  runId: string;
  message: string;
}
export const collectionNotice = new NotificationType<CollectionNoticeParams>('collection/notice');

export type CollectionOutcome =
  | { kind: 'completed'; summary: CollectionSummary }
  | { kind: 'cancelled'; summary: CollectionSummary | null }
  /** The collection stopped itself (a failure that repeats for every rollout, an unwritable output); resumable. */
  | { kind: 'stopped'; summary: CollectionSummary; message: string }
  | { kind: 'failed'; message: string };

export interface CollectionFinishedParams {
  runId: string;
  outcome: CollectionOutcome;
}
export const collectionFinished = new NotificationType<CollectionFinishedParams>('collection/finished');

// ── reverification ────────────────────────────────────────────────────────────────────────────────────────────

export interface ReverifyParams {
  rolloutsPath: string;
  /** The rollouts' `<stem>_materialized_inputs.jsonl`. */
  inputsPath: string;
  /** Replaced if it exists. */
  outputPath: string;
  cwd: string;
}
export interface ReverifyDone {
  outputPath: string;
  failuresPath: string;
  metricsPath: string | null;
  total: number;
  verified: number;
  failed: number;
  changes: RewardChange[];
  unsafeWarning: string | null;
}
/**
 * Verifies a rollout file again with the workplace_assistant environment (servers of its own on free ports, no model
 * call) and answers with the rewards that changed. Cancelling the request stops it.
 */
export const reverifyRollouts = new RequestType<ReverifyParams, ReverifyDone, void>('reverify/run');

// ── logs ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogLineParams {
  level: LogLevel;
  /** Already redacted by the host; the extension redacts again before writing. */
  message: string;
}
export const logLine = new NotificationType<LogLineParams>('log/line');
