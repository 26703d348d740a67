/** The worker-thread side of a WatchdogPool: answers each job with `handle(job)`, one at a time. */
import { parentPort } from 'node:worker_threads';
import type { JobMessage, WorkerMessage } from './watchdog_protocol';

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
    port.postMessage(answer);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage<Result>);
}
