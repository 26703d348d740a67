/** The messages between a WatchdogPool and its worker threads (see watchdog_pool.ts, watchdog_worker.ts). */

/** Pool → worker: run this job. */
export interface JobMessage<Job> {
  id: number;
  job: Job;
}

/** Worker → pool: ready for jobs, or the outcome of one. */
export type WorkerMessage<Result> =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; result: Result }
  | { kind: 'failed'; id: number; name: string; message: string };
