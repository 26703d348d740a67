/** The worker-thread side of a WatchdogPool: answers each job with `handle(job)`, one at a time. */
import { parentPort } from 'node:worker_threads';
import type { JobMessage, WorkerMessage } from './watchdog_protocol';

/** This thread's CPU time in microseconds (Node ≥ 23.9 / 22.19), else undefined (the pool then goes by the clock). */
function threadCpuMicros(): number | undefined {
  if (typeof process.threadCpuUsage !== 'function') return undefined;
  const usage = process.threadCpuUsage();
  return usage.user + usage.system;
}

export function serveWatchdogJobs<Job, Result>(handle: (job: Job) => Result): void {
  const port = parentPort;
  if (port === null) throw new Error('serveWatchdogJobs must run in a worker thread');
  port.on('message', ({ id, job }: JobMessage<Job>) => {
    let answer: WorkerMessage<Result>;
    try {
      answer = { kind: 'done', id, result: handle(job) };
    } catch (error) {
      answer = { kind: 'failed', id, name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
    }
    answer.cpuMicros = threadCpuMicros();
    port.postMessage(answer);
  });
  port.postMessage({ kind: 'ready', cpuMicros: threadCpuMicros() } satisfies WorkerMessage<Result>);
}
