/**
 * The list of runs, persisted in the editor's workspace state so it outlives the session. Editor-free: it takes
 * a Memento-like store. A run that was `running` when the previous session ended is `interrupted` (resumable).
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { RunRecord } from './run_record';

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const RUNS_STATE_KEY = 'gymRollouts.runs';
/** Older finished runs are dropped beyond this many. */
export const MAX_KEPT_RUNS = 50;

export class RunStore {
  private readonly records = new Map<string, RunRecord>();
  private readonly changeEmitter = new Emitter<RunRecord | undefined>();
  /** Fires with the changed record, or undefined when the list changed as a whole. */
  readonly onDidChange: Event<RunRecord | undefined> = this.changeEmitter.event;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly state: KeyValueStore) {
    const saved = state.get<unknown[]>(RUNS_STATE_KEY) ?? [];
    for (const value of saved) {
      const parsed = RunRecord.safeParse(value);
      if (!parsed.success) continue;
      const record = parsed.data.status === 'running' ? { ...parsed.data, status: 'interrupted' as const } : parsed.data;
      this.records.set(record.id, record);
    }
  }

  /** Newest first. */
  all(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  upsert(record: RunRecord): void {
    this.records.set(record.id, record);
    this.prune();
    this.changeEmitter.fire(record);
    this.save();
  }

  update(id: string, change: (record: RunRecord) => RunRecord): RunRecord | undefined {
    const record = this.records.get(id);
    if (!record) return undefined;
    const next = change(record);
    this.records.set(id, next);
    this.changeEmitter.fire(next);
    this.save();
    return next;
  }

  remove(id: string): void {
    if (!this.records.delete(id)) return;
    this.changeEmitter.fire(undefined);
    this.save();
  }

  /** Resolves when everything written so far is persisted. */
  flush(): Promise<void> {
    return this.saving;
  }

  private prune(): void {
    const finished = this.all().filter((record) => record.status !== 'running');
    for (const record of finished.slice(MAX_KEPT_RUNS)) this.records.delete(record.id);
  }

  private save(): void {
    const snapshot = this.all();
    this.saving = this.saving.then(() => this.state.update(RUNS_STATE_KEY, snapshot)).then(undefined, () => undefined);
  }
}
