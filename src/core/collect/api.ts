import type { NumRepeats } from './materialize';
import type { OutputLock } from './output_lock';
import type { SystemicFailure } from './systemic_failures';

/**
 * The rollout-collection engine's public contract, shared by the CLI (`ng_collect_rollouts`) and the editor's
 * host process. Option names follow NeMo Gym's `ng_collect_rollouts` parameters (NEMO_GYM_PROTOCOL.md §5.1).
 */
export interface CollectionOptions {
  /** Task JSONL (NeMo Gym input rows). */
  inputJsonlPath: string;
  /** Rollout JSONL; sidecars are derived from its stem (`<stem>_materialized_inputs.jsonl`, ...). */
  outputJsonlPath: string;
  /** Used for rows without their own `agent_ref.name`. */
  agentName?: string;
  /** First N input lines; 0 or null means all. */
  limit?: number | null;
  /** Repeats per task (adjacent, "aabbcc"): one count, or per agent (`{agent_name: k, _default: n}`, NeMo Gym's dict form). */
  numRepeats?: NumRepeats;
  /** Rollouts in flight at once; null means unbounded. */
  numSamplesInParallel?: number | null;
  /** Shallow-merged over each row's `responses_create_params`. */
  responsesCreateParams?: Record<string, unknown>;
  resumeFromCache?: boolean;
  /** Invalid rows go to `_failures.jsonl` instead of stopping the run before any model call. */
  skipInvalidRows?: boolean;
  /** Attempts per rollout before it is written to `_failures.jsonl` (default 3). */
  maxAttempts?: number;
  /** Per-rollout deadline in milliseconds (default: none). */
  rolloutTimeoutMs?: number | null;
  /** Strip non-standard keys from tool schemas (e.g. `database`, `operation_type`) before sending. */
  sanitizeToolSchemas?: boolean;
  /** NeMo Gym's `num_repeats_add_seed`: the rollout index as `seed` in `metadata.extra_body`. */
  numRepeatsAddSeed?: boolean;
  /** Skip `<stem>_aggregate_metrics.json` (for sharded runs). */
  disableAggregation?: boolean;
  /** Hand requests to servers in this process without sockets (`+in_process_transport`, default true). */
  inProcessTransport?: boolean;
  /** Collect one shard of the run: the tasks whose index is `shardIndex` modulo `numShards` (see shard_spec.ts). */
  numShards?: number | null;
  shardIndex?: number | null;
}

/**
 * Where the agents are: a head server to discover them through (NeMo Gym's or ours), or several (environment
 * hosts), over whose agents the rollouts are spread (see head_pool.ts).
 */
export interface CollectionTarget {
  headServerUrl: string;
  /** Several environment hosts (`+head_servers=[...]`); `headServerUrl` is then the first. */
  headServerUrls?: string[];
}

/** How one endpoint is doing: a policy endpoint behind a model server, or an environment host (head server). */
export interface EndpointReport {
  role: 'policy' | 'environment';
  /** The model server's name (`policy_model`), or `head_servers` for environment hosts. */
  server: string;
  /** URL without credentials or query. */
  label: string;
  healthy: boolean;
  inFlight: number;
  requests: number;
  errors: number;
  ejections: number;
  sessions: number;
  latencyP50Ms: number | null;
}

export interface CategoryProgress {
  category: string;
  done: number;
  failed: number;
  total: number;
  meanReward: number | null;
}

export interface RolloutOutcome {
  taskIndex: number;
  rolloutIndex: number;
  category: string | null;
  taskId: string | number | null;
  /** Null when the rollout failed. */
  reward: number | null;
  failureClass?: string;
  failureMessage?: string;
  /** Wall time of the rollout, retries included. */
  durationMs?: number;
  /** Attempts it took (1 when the first one ended it). */
  attempts?: number;
}

export interface CollectionProgress {
  total: number;
  /** Rollouts written to the output file. */
  done: number;
  /** Rollouts written to the failures file. */
  failed: number;
  /** Rollouts already present when resuming. */
  resumed: number;
  /** Mean reward over the written rollouts. */
  meanReward: number | null;
  /** Mean reward over every rollout that ended (done or failed), a failure counting as 0. */
  meanRewardOverAttempted: number | null;
  /** Attempts beyond the first, over the rollouts this run ended (a rollout retried twice counts 2). */
  retries: number;
  rolloutsPerSecond: number;
  elapsedSeconds: number;
  etaSeconds: number | null;
  byCategory: CategoryProgress[];
  /** Outcomes since the previous progress event. */
  recent: RolloutOutcome[];
  /** Per-endpoint figures when there are several policy endpoints or environment hosts. */
  endpoints?: EndpointReport[];
}

/** Why a collection ended before every rollout was accounted for (the rest is left for a resume). */
export type CollectionStop =
  | { kind: 'cancelled' }
  | { kind: 'systemic_failure'; failure: SystemicFailure }
  | { kind: 'write_error'; path: string; message: string };

export interface CollectionSummary extends CollectionProgress {
  outputJsonlPath: string;
  materializedInputsPath: string;
  aggregateMetricsPath: string;
  failuresPath: string;
  /** Rollouts neither written nor failed (the run stopped first). */
  notAttempted: number;
  /** Null when the run went through every rollout. */
  stop: CollectionStop | null;
  /** The user cancelled (same as `stop.kind === 'cancelled'`). */
  cancelled: boolean;
  /** Whether `<stem>_aggregate_metrics.json` was written by this run. */
  aggregateMetricsWritten: boolean;
}

export interface CollectionHooks {
  onProgress?: (progress: CollectionProgress) => void;
  /** One-line notices (e.g. the max_tokens mapping); already free of secrets. */
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
  /** Masks secrets in text that goes to files and messages (upstream errors can quote a key). */
  redact?: (text: string) => string;
  /** The output's lock, when the caller took it already (e.g. before starting servers); otherwise it is taken here. */
  outputLock?: OutputLock;
  /** Who holds the lock, as written in it (default `ng_collect_rollouts`). */
  command?: string;
}
