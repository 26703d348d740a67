/**
 * A small pool of worker threads with a watchdog: each job has a time limit, and a worker still busy with a job at
 * its limit is terminated (V8 interrupts even a RegExp stuck backtracking), the job fails with JobTimeoutError and
 * only that job: the other jobs wait in the queue or run on other workers, and a new worker is started when one
 * is needed. A worker that crashes or runs out of memory fails its job with WorkerFailedError and is replaced.
 *
 * The limit counts the CPU time of the job's own thread (`worker.cpuUsage()`, from the thread's CPU time when it
 * took the job), not the time on the clock: when other jobs crowd the cores, a job gets a smaller share of them and
 * would otherwise be stopped for other callers' load; measured in its own CPU time, whether it is stopped depends
 * on it alone. The clock still stops a job after `wallTimeFactor` times its limit (a thread blocked without using
 * the CPU, or a machine so crowded that the job gets almost none of it). Where the runtime cannot read a thread's
 * CPU time (Node before 22.19 / 23.9, or a worker that does not report it), the limit is the job's time on the
 * clock since it started.
 *
 * Workers start on demand (none before the first job), grow up to `maxWorkers` while jobs queue, and stop after
 * `idleTimeoutMs` without work (down to `minIdleWorkers`). Idle workers are unref'd, so they never keep a
 * process alive; a worker with a job is ref'd, so a process awaiting a job stays up until it ends.
 *
 * Waiting jobs take turns by caller (`JobOptions.caller`, e.g. a session; a job given none is a caller of its own):
 * each caller's jobs run in the order it sent them, and a caller whose job starts goes to the back of the line,
 * behind every caller already waiting, so a caller that keeps sending jobs cannot hold up the others. Among the
 * callers waiting, the cheapest job (`priority`) goes first, to keep cheap jobs quick; but the caller first in line
 * lets only `maxOvertakes` cheaper jobs go ahead of it before its own runs, so estimates alone (a stream of jobs that
 * look cheaper) cannot starve a job: each job runs after a bounded number of others, whatever arrives after it.
 * Jobs whose priority is at least `longJobPriority` (they may run until the watchdog stops them) never occupy the
 * last `reservedForShortJobs` workers, so a flood of them cannot hold up the short ones.
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
  /** How many cheaper jobs may go ahead of the caller first in line before its job runs (default 4; 0: strict turns). */
  maxOvertakes?: number;
  /** A job is stopped after this many times its limit on the clock, whatever CPU time it used (default 10). */
  wallTimeFactor?: number;
}

export interface JobOptions {
  /**
   * The CPU time of the job's own thread (queueing excluded) after which its worker is terminated (its running time
   * where the runtime cannot read a thread's CPU time).
   */
  timeLimitMs: number;
  /** An estimate of the job's cost: cheaper jobs go first, within the bounds of fair turns (see above). */
  priority?: number;
  /** Who sent the job (compared with `===`, e.g. a session id): callers take turns. None: the job is a caller of its own. */
  caller?: unknown;
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
  timeLimitMs: number;
  resolve(result: Result): void;
  reject(error: Error): void;
}

/** A caller with jobs waiting, in the line of callers. */
interface Caller<Job, Result> {
  key: unknown;
  /** Its waiting jobs, in the order it sent them. */
  jobs: Array<Pending<Job, Result>>;
  /** Cheaper jobs of callers behind it that went first while it was first in line. */
  overtaken: number;
}

interface Running<Job, Result> {
  id: number;
  pending: Pending<Job, Result>;
  /** The watchdog's next look at the job (null while it waits for the thread's CPU time). */
  timer: NodeJS.Timeout | null;
  /** performance.now() when the job started. */
  startedAt: number;
  /** The thread's CPU time when it took the job (µs), or null: the limit is then measured on the clock. */
  cpuAtStart: number | null;
}

interface PoolWorker<Job, Result> {
  thread: Worker;
  ready: boolean;
  running: Running<Job, Result> | null;
  idleTimer: NodeJS.Timeout | null;
  /** The thread's CPU time (µs) as of its last message, if it reports it. */
  cpuMicros: number | null;
  /** The last error the thread reported (shown when it exits). */
  error: Error | null;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OVERTAKES = 4;
const DEFAULT_WALL_TIME_FACTOR = 10;
/** The watchdog looks at a job's CPU time at most this often (it may overrun its limit by about this much). */
const MIN_CHECK_INTERVAL_MS = 5;

/** Whether this runtime reads a worker's CPU time from outside it (Node ≥ 22.19 / 24.6). */
function canReadWorkerCpu(thread: Worker): boolean {
  return typeof (thread as Partial<Pick<Worker, 'cpuUsage'>>).cpuUsage === 'function';
}

export class WatchdogPool<Job, Result> {
  private workers: Array<PoolWorker<Job, Result>> = [];
  /** Callers with jobs waiting, first in line first. */
  private line: Array<Caller<Job, Result>> = [];
  /** The callers in `line` that gave a key. */
  private callers = new Map<unknown, Caller<Job, Result>>();
  private nextJobId = 0;
  private closed = false;
  private used = false;
  private readonly reserved: number;
  private readonly longJobPriority: number;
  private readonly idleTimeoutMs: number;
  private readonly minIdleWorkers: number;
  private readonly maxOvertakes: number;
  private readonly wallTimeFactor: number;

  constructor(private readonly options: WatchdogPoolOptions) {
    if (options.maxWorkers < 1) throw new Error('maxWorkers must be at least 1');
    this.reserved = Math.min(options.reservedForShortJobs ?? 0, options.maxWorkers - 1);
    this.longJobPriority = options.longJobPriority ?? Infinity;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.minIdleWorkers = options.minIdleWorkers ?? 0;
    this.maxOvertakes = Math.max(0, options.maxOvertakes ?? DEFAULT_MAX_OVERTAKES);
    this.wallTimeFactor = Math.max(1, options.wallTimeFactor ?? DEFAULT_WALL_TIME_FACTOR);
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
    return this.line.reduce((count, caller) => count + caller.jobs.length, 0);
  }

  run(job: Job, options: JobOptions): Promise<Result> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    this.used = true;
    return new Promise<Result>((resolve, reject) => {
      const pending: Pending<Job, Result> = { job, priority: options.priority ?? 0, timeLimitMs: options.timeLimitMs, resolve, reject };
      const key = options.caller;
      let caller = key === undefined ? undefined : this.callers.get(key);
      if (caller === undefined) {
        // A caller with nothing waiting joins the back of the line.
        caller = { key, jobs: [], overtaken: 0 };
        this.line.push(caller);
        if (key !== undefined) this.callers.set(key, caller);
      }
      caller.jobs.push(pending);
      this.dispatch();
    });
  }

  /** Fails every queued and running job with PoolClosedError and terminates every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failQueue(new PoolClosedError());
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

  /**
   * The job to run next, of those not in `skip`: each caller in line offers its first job that may run now; the
   * cheapest goes (the earliest caller in line on a tie), unless the first caller offering one has been overtaken
   * `maxOvertakes` times already.
   */
  private next(skip: Set<Pending<Job, Result>>, longJobsFull: boolean): { caller: Caller<Job, Result>; pending: Pending<Job, Result>; first: Caller<Job, Result> } | null {
    let first: { caller: Caller<Job, Result>; pending: Pending<Job, Result> } | null = null;
    let best: { caller: Caller<Job, Result>; pending: Pending<Job, Result> } | null = null;
    for (const caller of this.line) {
      const pending = caller.jobs.find((job) => !skip.has(job) && !(longJobsFull && this.isLong(job)));
      if (pending === undefined) continue;
      if (first === null) {
        first = { caller, pending };
        if (caller.overtaken >= this.maxOvertakes) return { ...first, first: caller };
      }
      if (best === null || pending.priority < best.pending.priority) best = { caller, pending };
    }
    return first === null || best === null ? null : { ...best, first: first.caller };
  }

  /** Takes the job out of the line: its caller goes to the back (or leaves the line if it has nothing more waiting). */
  private take(choice: { caller: Caller<Job, Result>; pending: Pending<Job, Result>; first: Caller<Job, Result> }): void {
    const { caller, pending, first } = choice;
    if (first !== caller) first.overtaken++;
    caller.jobs.splice(caller.jobs.indexOf(pending), 1);
    this.line.splice(this.line.indexOf(caller), 1);
    caller.overtaken = 0;
    if (caller.jobs.length > 0) this.line.push(caller);
    else if (caller.key !== undefined) this.callers.delete(caller.key);
  }

  /** Hands queued jobs to idle workers, starting workers for the rest while the limits allow. */
  private dispatch(): void {
    if (this.closed) return;
    const idle = this.workers.filter((worker) => worker.ready && worker.running === null);
    let starting = this.workers.filter((worker) => !worker.ready).length;
    let longJobs = this.workers.filter((worker) => worker.running !== null && this.isLong(worker.running.pending)).length;
    const longJobLimit = this.options.maxWorkers - this.reserved;
    // Jobs a starting worker will take (they stay in line until it is ready, and go in turn then).
    const promised = new Set<Pending<Job, Result>>();
    for (;;) {
      const choice = this.next(promised, longJobs >= longJobLimit);
      if (choice === null) break;
      const worker = idle.pop();
      if (worker) {
        this.take(choice);
        this.assign(worker, choice.pending);
      } else if (starting > 0) {
        starting--;
        promised.add(choice.pending);
      } else if (this.workers.length < this.options.maxWorkers) {
        this.spawn();
        promised.add(choice.pending);
      } else {
        break;
      }
      if (this.isLong(choice.pending)) longJobs++;
    }
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
    const worker: PoolWorker<Job, Result> = { thread, ready: false, running: null, idleTimer: null, cpuMicros: null, error: null };
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
    // The job's CPU time counts from the thread's last answer: receiving the job is part of it.
    const cpuAtStart = worker.cpuMicros !== null && canReadWorkerCpu(worker.thread) ? worker.cpuMicros : null;
    const running: Running<Job, Result> = { id, pending, timer: null, startedAt: performance.now(), cpuAtStart };
    worker.running = running;
    // A thread uses at most as much CPU time as passes on the clock: it cannot reach its limit sooner.
    this.watch(worker, running, pending.timeLimitMs);
    worker.thread.ref();
    worker.thread.postMessage({ id, job: pending.job } satisfies JobMessage<Job>);
  }

  private watch(worker: PoolWorker<Job, Result>, running: Running<Job, Result>, delayMs: number): void {
    running.timer = setTimeout(() => this.check(worker, running), Math.max(0, delayMs));
  }

  /** The watchdog: stops the job if it used up its CPU time (or its time on the clock), else looks again later. */
  private check(worker: PoolWorker<Job, Result>, running: Running<Job, Result>): void {
    running.timer = null;
    if (worker.running !== running) return;
    const limitMs = running.pending.timeLimitMs;
    const wallLimitMs = limitMs * this.wallTimeFactor;
    if (running.cpuAtStart === null || performance.now() - running.startedAt >= wallLimitMs) {
      this.stop(worker);
      return;
    }
    const cpuAtStart = running.cpuAtStart;
    worker.thread.cpuUsage().then(
      (usage) => {
        if (worker.running !== running) return;
        const cpuMs = (usage.user + usage.system - cpuAtStart) / 1000;
        const wallLeftMs = wallLimitMs - (performance.now() - running.startedAt);
        if (cpuMs >= limitMs || wallLeftMs <= 0) this.stop(worker);
        else this.watch(worker, running, Math.min(Math.max(limitMs - cpuMs, MIN_CHECK_INTERVAL_MS), wallLeftMs));
      },
      // The thread is gone or cannot say: stop it rather than let the job run unwatched.
      () => {
        if (worker.running === running) this.stop(worker);
      },
    );
  }

  /** The worker's job, now no longer running there (its time limit cleared). */
  private release(worker: PoolWorker<Job, Result>): Pending<Job, Result> | null {
    const running = worker.running;
    if (running === null) return null;
    if (running.timer !== null) clearTimeout(running.timer);
    worker.running = null;
    return running.pending;
  }

  private onMessage(worker: PoolWorker<Job, Result>, message: WorkerMessage<Result>): void {
    worker.cpuMicros = typeof message.cpuMicros === 'number' ? message.cpuMicros : null;
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
    const line = this.line;
    this.line = [];
    this.callers.clear();
    for (const caller of line) for (const pending of caller.jobs) pending.reject(error);
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
