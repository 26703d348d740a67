/**
 * What the host process does, independent of the transport: it owns at most one set of embedded servers and any
 * number of collections. `main.ts` binds these methods to the JSON-RPC connection; tests drive them directly
 * with a fake engine.
 */
import type { CollectionHooks, CollectionOptions, CollectionSummary, CollectionTarget } from '../core/collect/api';
import type { Logger } from '../core/logger';
import type { EmbeddedServersOptions, RunningServers } from '../core/servers/api';
import { ProgressThrottle } from './progress_throttle';
import {
  HostErrorCode,
  type CollectionCancelParams,
  type CollectionCancelled,
  type CollectionFinishedParams,
  type CollectionNoticeParams,
  type CollectionOutcome,
  type CollectionProgressParams,
  type CollectionStartParams,
  type CollectionStarted,
  type ConfigDump,
  type ConfigDumpParams,
  type HostHello,
  type ReverifyDone,
  type ReverifyParams,
  type ServersStartParams,
  type ServersStatus,
} from './protocol';

/** The core functions the host runs; the real ones are wired in `engine.ts`. */
export interface HostEngine {
  startEmbeddedServers(options: EmbeddedServersOptions, logger: Logger): Promise<RunningServers>;
  collectRollouts(options: CollectionOptions, target: CollectionTarget, hooks: CollectionHooks, logger: Logger): Promise<CollectionSummary>;
  /** The resolved config for `ng_run` arguments, secrets masked. */
  dumpConfig(argv: string[], cwd: string, env: Record<string, string | undefined>): Promise<string>;
  /** A running deployment's config from its head server, secrets masked. */
  fetchDeploymentConfig(headServerUrl: string): Promise<string>;
  /** Verifies rollouts again with servers of its own (no model). */
  reverifyRollouts(params: ReverifyParams, env: Record<string, string | undefined>, logger: Logger, signal?: AbortSignal): Promise<ReverifyDone>;
}

/** Notifications the host sends. */
export interface HostNotifier {
  serversStateChanged(status: ServersStatus): void;
  collectionProgress(params: CollectionProgressParams): void;
  collectionNotice(params: CollectionNoticeParams): void;
  collectionFinished(params: CollectionFinishedParams): void;
}

export class HostRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'HostRequestError';
  }
}

interface RunningCollection {
  controller: AbortController;
  done: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 250;
const SHUTDOWN_COLLECTION_WAIT_MS = 10_000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class HostService {
  private servers: RunningServers | null = null;
  private status: ServersStatus = emptyStatus('stopped');
  private serversTransition: Promise<unknown> = Promise.resolve();
  private readonly collections = new Map<string, RunningCollection>();

  constructor(
    private readonly engine: HostEngine,
    private readonly notifier: HostNotifier,
    private readonly logger: Logger,
    private readonly env: Record<string, string | undefined>,
    private readonly redact: (text: string) => string,
  ) {}

  hello(): HostHello {
    return { pid: process.pid, nodeVersion: process.version, runningCollections: [...this.collections.keys()] };
  }

  serversStatus(): ServersStatus {
    return this.status;
  }

  async startServers(params: ServersStartParams, signal?: AbortSignal): Promise<ServersStatus> {
    if (this.status.state === 'running' || this.status.state === 'starting' || this.status.state === 'stopping') {
      throw new HostRequestError(HostErrorCode.Conflict, `The servers are ${this.status.state}; stop them first.`);
    }
    this.setStatus({ ...emptyStatus('starting') });
    const starting = this.engine.startEmbeddedServers({ argv: params.argv, cwd: params.cwd, env: this.env }, this.logger);
    this.serversTransition = starting.catch(() => undefined);
    let running: RunningServers;
    try {
      running = await starting;
    } catch (error) {
      const message = this.redact(errorMessage(error));
      this.logger.error(`Servers failed to start: ${message}`);
      this.setStatus({ ...emptyStatus('failed'), error: message });
      throw new HostRequestError(HostErrorCode.OperationFailed, message);
    }
    if (signal?.aborted) {
      await running.stop().catch((error: unknown) => this.logger.warn(`Stopping cancelled servers failed: ${this.redact(errorMessage(error))}`));
      this.setStatus(emptyStatus('stopped'));
      throw new HostRequestError(HostErrorCode.OperationFailed, 'Starting the servers was cancelled.');
    }
    this.servers = running;
    this.setStatus({
      state: 'running',
      headServerUrl: running.headServerUrl,
      servers: running.servers,
      dataDirectory: running.dataDirectory,
      policyBaseUrl: running.policyBaseUrl,
      policyModelName: running.policyModelName,
      error: null,
    });
    return this.status;
  }

  async stopServers(): Promise<ServersStatus> {
    await this.serversTransition;
    const running = this.servers;
    if (!running) {
      if (this.status.state !== 'failed') this.setStatus(emptyStatus('stopped'));
      return this.status;
    }
    this.setStatus({ ...this.status, state: 'stopping' });
    this.servers = null;
    try {
      await running.stop();
      this.setStatus(emptyStatus('stopped'));
    } catch (error) {
      const message = this.redact(errorMessage(error));
      this.setStatus({ ...emptyStatus('failed'), error: `Stopping failed: ${message}` });
      throw new HostRequestError(HostErrorCode.OperationFailed, message);
    }
    return this.status;
  }

  async dumpConfig(params: ConfigDumpParams): Promise<ConfigDump> {
    try {
      if (params.headServerUrl) return { yaml: this.redact(await this.engine.fetchDeploymentConfig(params.headServerUrl)), source: 'head-server' };
      return { yaml: this.redact(await this.engine.dumpConfig(params.argv, params.cwd, this.env)), source: 'argv' };
    } catch (error) {
      throw new HostRequestError(HostErrorCode.OperationFailed, this.redact(errorMessage(error)));
    }
  }

  startCollection(params: CollectionStartParams): CollectionStarted {
    const { runId } = params;
    if (this.collections.has(runId)) throw new HostRequestError(HostErrorCode.Conflict, `Run ${runId} is already running.`);
    const headServerUrl = params.headServerUrl ?? this.servers?.headServerUrl;
    if (!headServerUrl) throw new HostRequestError(HostErrorCode.Conflict, 'The servers are not running; start them first.');

    const controller = new AbortController();
    const throttle = new ProgressThrottle((progress: CollectionProgressParams['progress']) => this.notifier.collectionProgress({ runId, progress }), PROGRESS_INTERVAL_MS);
    const hooks: CollectionHooks = {
      signal: controller.signal,
      redact: this.redact,
      onProgress: (progress) => throttle.push(progress),
      onNotice: (message) => this.notifier.collectionNotice({ runId, message: this.redact(message) }),
      command: 'the Gym Rollouts editor extension',
    };
    this.logger.info(`Collection ${runId}: ${params.options.inputJsonlPath} → ${params.options.outputJsonlPath}${params.options.resumeFromCache ? ' (resuming)' : ''}`);
    const done = this.engine
      .collectRollouts(params.options, { headServerUrl }, hooks, this.logger)
      .then(
        (summary): CollectionOutcome => {
          if (summary.cancelled || controller.signal.aborted) return { kind: 'cancelled', summary };
          if (summary.stop?.kind === 'systemic_failure') return { kind: 'stopped', summary, message: this.redact(`${summary.stop.failure.message} ${summary.stop.failure.advice}`) };
          if (summary.stop?.kind === 'write_error') return { kind: 'stopped', summary, message: this.redact(`${summary.stop.message}. Free some space, then resume.`) };
          return { kind: 'completed', summary };
        },
        (error: unknown): CollectionOutcome =>
          controller.signal.aborted ? { kind: 'cancelled', summary: null } : { kind: 'failed', message: this.redact(errorMessage(error)) },
      )
      .then((outcome) => {
        throttle.flush();
        throttle.dispose();
        this.collections.delete(runId);
        if (outcome.kind === 'failed') this.logger.error(`Collection ${runId} failed: ${outcome.message}`);
        else this.logger.info(`Collection ${runId} ${outcome.kind}.`);
        this.notifier.collectionFinished({ runId, outcome });
      });
    this.collections.set(runId, { controller, done });
    return { runId };
  }

  cancelCollection(params: CollectionCancelParams): CollectionCancelled {
    const running = this.collections.get(params.runId);
    running?.controller.abort();
    return { wasRunning: running !== undefined };
  }

  async reverify(params: ReverifyParams, signal?: AbortSignal): Promise<ReverifyDone> {
    this.logger.info(`Reverifying ${params.rolloutsPath} → ${params.outputPath}`);
    try {
      return await this.engine.reverifyRollouts(params, this.env, this.logger, signal);
    } catch (error) {
      throw new HostRequestError(HostErrorCode.OperationFailed, this.redact(errorMessage(error)));
    }
  }

  /** Cancels collections (their output so far stays resumable) and stops the servers. */
  async shutdown(): Promise<void> {
    const collections = [...this.collections.values()];
    for (const collection of collections) collection.controller.abort();
    await Promise.race([
      Promise.all(collections.map((collection) => collection.done)),
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_COLLECTION_WAIT_MS).unref()),
    ]);
    await this.stopServers().catch(() => undefined);
  }

  private setStatus(status: ServersStatus): void {
    this.status = status;
    this.notifier.serversStateChanged(status);
  }
}

function emptyStatus(state: ServersStatus['state']): ServersStatus {
  return { state, headServerUrl: null, servers: [], dataDirectory: null, policyBaseUrl: null, policyModelName: null, error: null };
}
