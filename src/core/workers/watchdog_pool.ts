/**
 * A small pool of worker threads with a watchdog: each job has a time limit, and a worker still busy with a job at
 * its limit is terminated (V8 interrupts even a RegExp stuck backtracking), the job fails with JobTimeoutError and
 * only that job: the other jobs wait in the queue or run on other workers, and a new worker is started when one
 * is needed. A worker that crashes or runs out of memory fails its job with WorkerFailedError and is replaced.
 *
 * Workers start on demand (none before the first job), grow up to `maxWorkers` while jobs queue, and stop after
 * `idleTimeoutMs` without work (down to `minIdleWorkers`). Idle workers are unref'd, so they never keep a
 * process alive; a worker with a job is ref'd, so a process awaiting a job stays up until it ends.
 *
 * Jobs run cheapest first (`priority`, then arrival order). Jobs whose priority is at least `longJobPriority`
 * (they may run until the watchdog stops them) never occupy the last `reservedForShortJobs` workers, so a flood of
 * them cannot hold up the short ones.
 *
 * A general-purpose library such as piscina was not used: it starts its own bootstrap script from node_modules,
 * which a bundled `.vsix` does not ship, and it has no per-job time limit.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { JobMessage, WorkerMessage } from './watchdog_protocol';

export interface WatchdogPoolOptions {
  /** The worker script: a bundled `.js` file that calls `serveWatchdogJobs` (watchdog_worker.ts). */
  script: string;
  /** Most worker threads at once. */
  maxWorkers: number;
  /** Workers that only jobs below `longJobPriority` may use (0 for none). */
  reservedForShortJobs?: number;
  longJobPriority?: number;
  /** An idle worker stops after this long without a job (while more than `minIdleWorkers` are left). */
  idleTimeoutMs?: number;
  minIdleWorkers?: number;
  resourceLimits?: ResourceLimits;
}

export interface JobOptions {
  /** The job's own running time (queueing excluded) after which its worker is terminated. */
  timeLimitMs: number;
  /** Lower runs first; an estimate of the job's cost. */
  priority?: number;
}

export class JobTimeoutError extends Error {
  constructor(readonly timeLimitMs: number) {
    super(`the job was stopped after ${timeLimitMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

export class WorkerFailedError extends Error {
  constructor(
    message: string,
    readonly outOfMemory: boolean,
  ) {
    super(message);
    this.name = 'WorkerFailedError';
  }
}

/** The job's handler threw in the worker (its error's name and message are kept). */
export class JobFailedError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobFailedError';
  }
}

export class PoolClosedError extends Error {
  constructor() {
    super('the worker pool is closed');
    this.name = 'PoolClosedError';
  }
}

interface Pending<Job, Result> {
  job: Job;
  priority: number;
  sequence: number;
  timeLimitMs: number;
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface PoolWorker<Job, Result> {
  thread: Worker;
  ready: boolean;
  running: { id: number; pending: Pending<Job, Result>; timer: NodeJS.Timeout } | null;
  idleTimer: NodeJS.Timeout | null;
  /** The last error the thread reported (shown when it exits). */
  error: Error | null;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export class WatchdogPool<Job, Result> {
  private workers: Array<PoolWorker<Job, Result>> = [];
  private queue: Array<Pending<Job, Result>> = [];
  private nextSequence = 0;
  private nextJobId = 0;
  private closed = false;
  private used = false;
  private readonly reserved: number;
  private readonly longJobPriority: number;
  private readonly idleTimeoutMs: number;
  private readonly minIdleWorkers: number;

  constructor(private readonly options: WatchdogPoolOptions) {
    if (options.maxWorkers < 1) throw new Error('maxWorkers must be at least 1');
    this.reserved = Math.min(options.reservedForShortJobs ?? 0, options.maxWorkers - 1);
    this.longJobPriority = options.longJobPriority ?? Infinity;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.minIdleWorkers = options.minIdleWorkers ?? 0;
  }

  /** Worker threads alive or starting. */
  get size(): number {
    return this.workers.length;
  }

  /** Jobs running now. */
  get busy(): number {
    return this.workers.filter((worker) => worker.running !== null).length;
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  run(job: Job, options: JobOptions): Promise<Result> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    this.used = true;
    return new Promise<Result>((resolve, reject) => {
      const pending: Pending<Job, Result> = { job, priority: options.priority ?? 0, sequence: this.nextSequence++, timeLimitMs: options.timeLimitMs, resolve, reject };
      let at = this.queue.length;
      while (at > 0 && (this.queue[at - 1] as Pending<Job, Result>).priority > pending.priority) at--;
      this.queue.splice(at, 0, pending);
      this.dispatch();
    });
  }

  /** Fails every queued and running job with PoolClosedError and terminates every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const queue = this.queue;
    this.queue = [];
    for (const pending of queue) pending.reject(new PoolClosedError());
    const workers = this.workers;
    this.workers = [];
    await Promise.all(
      workers.map((worker) => {
        this.release(worker)?.reject(new PoolClosedError());
        if (worker.idleTimer) clearTimeout(worker.idleTimer);
        return worker.thread.terminate().catch(() => undefined);
      }),
    );
  }

  private isLong(pending: Pending<Job, Result>): boolean {
    return pending.priority >= this.longJobPriority;
  }

  /** Hands queued jobs to idle workers, starting workers for the rest while the limits allow. */
  private dispatch(): void {
    if (this.closed) return;
    const idle = this.workers.filter((worker) => worker.ready && worker.running === null);
    let starting = this.workers.filter((worker) => !worker.ready).length;
    let longJobs = this.workers.filter((worker) => worker.running !== null && this.isLong(worker.running.pending)).length;
    const longJobLimit = this.options.maxWorkers - this.reserved;
    const waiting: Array<Pending<Job, Result>> = [];
    for (const pending of this.queue) {
      const long = this.isLong(pending);
      if (long && longJobs >= longJobLimit) {
        waiting.push(pending);
        continue;
      }
      const worker = idle.pop();
      if (worker) {
        this.assign(worker, pending);
        if (long) longJobs++;
        continue;
      }
      waiting.push(pending);
      if (starting > 0) starting--;
      else if (this.workers.length < this.options.maxWorkers) this.spawn();
      else continue;
      if (long) longJobs++; // a starting worker will take it
    }
    this.queue = waiting;
    for (const worker of idle) this.goIdle(worker);
    // Once in use, the pool keeps its warm workers: one the watchdog stopped is replaced at once.
    while (this.used && this.workers.length < this.minIdleWorkers) this.spawn();
  }

  private spawn(): void {
    let thread: Worker;
    try {
      thread = new Worker(this.options.script, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    } catch (error) {
      this.failQueue(new WorkerFailedError(`the worker thread could not start: ${error instanceof Error ? error.message : String(error)}`, false));
      return;
    }
    const worker: PoolWorker<Job, Result> = { thread, ready: false, running: null, idleTimer: null, error: null };
    this.workers.push(worker);
    thread.on('message', (message: WorkerMessage<Result>) => this.onMessage(worker, message));
    thread.on('error', (error) => (worker.error = error));
    thread.on('exit', (code) => this.onExit(worker, code));
  }

  private assign(worker: PoolWorker<Job, Result>, pending: Pending<Job, Result>): void {
    if (worker.idleTimer) {
      clearTimeout(worker.idleTimer);
      worker.idleTimer = null;
    }
    const id = this.nextJobId++;
    const timer = setTimeout(() => this.stop(worker), pending.timeLimitMs);
    worker.running = { id, pending, timer };
    worker.thread.ref();
    worker.thread.postMessage({ id, job: pending.job } satisfies JobMessage<Job>);
  }

  /** The worker's job, now no longer running there (its time limit cleared). */
  private release(worker: PoolWorker<Job, Result>): Pending<Job, Result> | null {
    const running = worker.running;
    if (running === null) return null;
    clearTimeout(running.timer);
    worker.running = null;
    return running.pending;
  }

  private onMessage(worker: PoolWorker<Job, Result>, message: WorkerMessage<Result>): void {
    if (message.kind === 'ready') {
      worker.ready = true;
    } else if (worker.running !== null && worker.running.id === message.id) {
      const pending = this.release(worker) as Pending<Job, Result>;
      if (message.kind === 'done') pending.resolve(message.result);
      else pending.reject(new JobFailedError(message.name, message.message));
    }
    this.dispatch();
    this.goIdle(worker);
  }

  /** The watchdog: the job ran out of time; its worker goes (and with it the runaway computation). */
  private stop(worker: PoolWorker<Job, Result>): void {
    const pending = this.release(worker);
    this.remove(worker);
    void worker.thread.terminate().catch(() => undefined);
    pending?.reject(new JobTimeoutError(pending.timeLimitMs));
    this.dispatch();
  }

  private onExit(worker: PoolWorker<Job, Result>, code: number): void {
    if (!this.remove(worker)) return; // stopped by the pool
    const outOfMemory = (worker.error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const reason = worker.error ? worker.error.message : `it exited with code ${code}`;
    this.release(worker)?.reject(new WorkerFailedError(`the worker thread failed: ${reason}`, outOfMemory));
    // A worker that never came up will not do better next time: fail what waits rather than retry forever.
    if (!worker.ready && !this.workers.some((other) => other.ready)) {
      this.failQueue(new WorkerFailedError(`the worker thread could not start: ${reason}`, outOfMemory));
    }
    this.dispatch();
  }

  private failQueue(error: Error): void {
    const queue = this.queue;
    this.queue = [];
    for (const pending of queue) pending.reject(error);
  }

  private remove(worker: PoolWorker<Job, Result>): boolean {
    const index = this.workers.indexOf(worker);
    if (index < 0) return false;
    this.workers.splice(index, 1);
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    return true;
  }

  private goIdle(worker: PoolWorker<Job, Result>): void {
    if (worker.running !== null || !worker.ready || !this.workers.includes(worker)) return;
    worker.thread.unref();
    if (worker.idleTimer) return;
    worker.idleTimer = setTimeout(() => {
      worker.idleTimer = null;
      if (worker.running !== null || this.workers.length <= this.minIdleWorkers) return;
      this.remove(worker);
      void worker.thread.terminate().catch(() => undefined);
    }, this.idleTimeoutMs);
    worker.idleTimer.unref();
  }
}
