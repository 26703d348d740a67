/** The messages between a WatchdogPool and its worker threads (see watchdog_pool.ts, watchdog_worker.ts). */

/** Pool → worker: run this job. */
export interface JobMessage<Job> {
  id: number;
  job: Job;
}

/**
 * Worker → pool: ready for jobs, or the outcome of one. `cpuMicros` is the thread's own CPU time so far
 * (`process.threadCpuUsage()`, user + system) when it sent the message, where the runtime has it: the pool counts a
 * job's CPU time from there.
 */
export type WorkerMessage<Result> =
  | { kind: 'ready'; cpuMicros?: number }
  | { kind: 'done'; id: number; result: Result; cpuMicros?: number }
  | { kind: 'failed'; id: number; name: string; message: string; cpuMicros?: number };
