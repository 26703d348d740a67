/**
 * Starts, follows, cancels and resumes collections through the host, keeping the run records and per-task
 * results current. When the host dies, the runs it was running are resumed from their output files by the next
 * host (NeMo Gym's `resume_from_cache`), so nothing written is lost or written twice. Editor-free.
 */
import type { RequestType } from 'vscode-jsonrpc/node';
import type { CollectionOptions } from '../../core/collect/api';
import * as protocol from '../../host/protocol';
import type { RequestOptions } from '../host/host_process';
import type { RunsTreeModel } from '../trees/runs_model';
import { totalsFromProgress, type RunRecord } from './run_record';
import { readRunResults, RunResults } from './run_results';
import type { RunStore } from './run_store';

/** The part of the host the controller uses (a `GymHost`, or a fake in tests). */
export interface CollectionHost {
  request<P, R>(type: RequestType<P, R, void>, params: P, options?: RequestOptions): Promise<R>;
}

export interface StartRunRequest {
  options: CollectionOptions;
  agentName: string;
  modelName: string | null;
  externalHeadServerUrl: string | null;
}

export interface RunControllerOptions {
  store: RunStore;
  model: RunsTreeModel;
  host: CollectionHost;
  /** Starts the extension's servers if they are not running (runs on an external deployment skip this). */
  ensureServers: () => Promise<void>;
  /** A tree refresh: the whole tree, or one run. */
  refresh: (runId?: string) => void;
  /** A run ended (to show a message). */
  onFinished?: (record: RunRecord) => void;
  onNotice?: (record: RunRecord, message: string) => void;
  newRunId?: () => string;
  now?: () => number;
  readResults?: (outputPath: string) => Promise<RunResults>;
}

export class RunController {
  /** Runs the current host was running when it died; the next host resumes them. */
  private readonly lostWithHost = new Set<string>();

  constructor(private readonly options: RunControllerOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(request: StartRunRequest): Promise<RunRecord> {
    const id = this.options.newRunId?.() ?? `${this.now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const record: RunRecord = {
      id,
      inputPath: request.options.inputJsonlPath,
      outputPath: request.options.outputJsonlPath,
      agentName: request.agentName,
      modelName: request.modelName,
      externalHeadServerUrl: request.externalHeadServerUrl,
      options: { ...request.options },
      status: 'running',
      startedAt: this.now,
      finishedAt: null,
      earlierElapsedSeconds: 0,
      earlierRetries: 0,
      totals: null,
      error: null,
    };
    this.options.store.upsert(record);
    await this.launch(record, request.options.resumeFromCache ?? false);
    return this.options.store.get(id) ?? record;
  }

  async resume(runId: string): Promise<void> {
    const record = this.options.store.get(runId);
    if (!record || record.status === 'running') return;
    // The new collection counts its time and retries from zero: keep what the earlier ones took.
    this.options.store.update(runId, (current) => ({
      ...current,
      status: 'running',
      finishedAt: null,
      error: null,
      earlierElapsedSeconds: current.totals?.elapsedSeconds ?? current.earlierElapsedSeconds,
      earlierRetries: current.totals?.retries ?? current.earlierRetries,
    }));
    await this.launch(this.options.store.get(runId)!, true);
  }

  async cancel(runId: string): Promise<void> {
    this.lostWithHost.delete(runId);
    const answer = await this.options.host.request(protocol.collectionCancel, { runId }).catch(() => ({ wasRunning: false }));
    if (!answer.wasRunning) this.finish(runId, { status: 'cancelled' });
  }

  /** The host died (or is being restarted): its runs are interrupted until the next host resumes them. */
  hostLost(): void {
    for (const runId of this.interruptRunning('The host process stopped; the run resumes when it restarts.')) this.lostWithHost.add(runId);
  }

  /** The extension is going away: runs in flight stay resumable (Resume Run) in the next session. */
  suspendAll(): void {
    this.interruptRunning('The editor closed during the run; resume it to collect what is missing.');
  }

  private interruptRunning(reason: string): string[] {
    const interrupted: string[] = [];
    for (const record of this.options.store.all()) {
      if (record.status !== 'running') continue;
      interrupted.push(record.id);
      this.options.store.update(record.id, (current) => ({ ...current, status: 'interrupted', error: reason }));
    }
    this.options.refresh();
    return interrupted;
  }

  /** Called by a new host: resumes what the previous one lost. */
  async resumeLost(): Promise<void> {
    const lost = [...this.lostWithHost];
    this.lostWithHost.clear();
    await Promise.all(lost.map((runId) => this.resume(runId)));
  }

  /** Reads a run's results from its files (for runs of earlier sessions, and after a resume). */
  async loadResults(runId: string): Promise<void> {
    const record = this.options.store.get(runId);
    if (!record) return;
    this.options.model.markLoading(runId);
    const read = this.options.readResults ?? ((path: string) => readRunResults(path));
    try {
      this.options.model.setResults(runId, await read(record.outputPath));
    } catch {
      this.options.model.forget(runId);
      return;
    }
    this.options.refresh(runId);
  }

  onProgress(params: protocol.CollectionProgressParams): void {
    const record = this.options.store.get(params.runId);
    if (record?.status !== 'running') return;
    this.options.store.update(params.runId, (current) => ({ ...current, totals: totalsFromProgress(params.progress, earlierOf(current)) }));
    this.options.model.resultsOf(params.runId)?.applyOutcomes(params.progress.recent);
    this.options.refresh(params.runId);
  }

  onNotice(params: protocol.CollectionNoticeParams): void {
    const record = this.options.store.get(params.runId);
    if (record) this.options.onNotice?.(record, params.message);
  }

  onFinished(params: protocol.CollectionFinishedParams): void {
    // A run interrupted for a host restart reports `cancelled` from the old host; the new host resumes it.
    if (this.options.store.get(params.runId)?.status !== 'running') return;
    const { outcome } = params;
    const earlier = earlierOf(this.options.store.get(params.runId)!);
    if (outcome.kind === 'failed') this.finish(params.runId, { status: 'failed', error: outcome.message });
    else if (outcome.kind === 'stopped') this.finish(params.runId, { status: 'stopped', error: outcome.message, totals: totalsFromProgress(outcome.summary, earlier) });
    else {
      const summary = outcome.summary;
      this.finish(params.runId, { status: outcome.kind, ...(summary ? { totals: totalsFromProgress(summary, earlier) } : {}) });
    }
    // The files are complete now: read them once so entries (viewer positions) are known.
    void this.loadResults(params.runId);
  }

  private async launch(record: RunRecord, resume: boolean): Promise<void> {
    const options = { ...(record.options as unknown as CollectionOptions), resumeFromCache: resume };
    try {
      if (!record.externalHeadServerUrl) await this.options.ensureServers();
      if (resume) await this.loadResults(record.id);
      else this.options.model.setResults(record.id, new RunResults());
      await this.options.host.request(protocol.collectionStart, { runId: record.id, options, headServerUrl: record.externalHeadServerUrl }, { timeoutMs: 60_000 });
    } catch (error) {
      this.finish(record.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      this.options.refresh(record.id);
    }
  }

  private finish(runId: string, change: Partial<RunRecord>): void {
    const record = this.options.store.update(runId, (current) => ({ ...current, finishedAt: this.now, ...change }));
    this.options.refresh(runId);
    if (record) this.options.onFinished?.(record);
  }
}

function earlierOf(record: RunRecord): { elapsedSeconds: number; retries: number } {
  return { elapsedSeconds: record.earlierElapsedSeconds, retries: record.earlierRetries };
}
