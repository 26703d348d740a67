import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobFailedError, JobTimeoutError, PoolClosedError, WatchdogPool, WorkerFailedError, type WatchdogPoolOptions } from '../../../src/core/workers/watchdog_pool';
import type { TestJob } from './fixtures/test_worker';

let folder: string;
let script: string;
const pools: Array<WatchdogPool<TestJob, string | number>> = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'watchdog-pool-test-'));
  script = join(folder, 'test_worker.js');
  await esbuild.build({ entryPoints: [resolve(__dirname, 'fixtures/test_worker.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function pool(options: Partial<WatchdogPoolOptions> = {}): WatchdogPool<TestJob, string | number> {
  const created = new WatchdogPool<TestJob, string | number>({ script, maxWorkers: 2, ...options });
  pools.push(created);
  return created;
}

/** Settles to 'resolved: …' or 'rejected: <error class>', and records the order in which jobs settle. */
function settle(order: string[], label: string, job: Promise<string | number>): Promise<string> {
  return job.then(
    (value) => {
      order.push(label);
      return `resolved: ${value}`;
    },
    (error: unknown) => {
      order.push(label);
      return `rejected: ${(error as Error).name}`;
    },
  );
}

const LONG = { timeLimitMs: 60_000 };

describe('WatchdogPool', () => {
  it('starts workers only when there is work, and answers jobs', async () => {
    const p = pool();
    expect(p.size).toBe(0);
    expect(await p.run({ kind: 'echo', value: 'hello' }, LONG)).toBe('hello');
    expect(p.size).toBe(1);
  });

  it('stops a job that never ends at its time limit, replaces the worker, and keeps serving', async () => {
    const p = pool({ maxWorkers: 1, minIdleWorkers: 1 });
    const firstThread = await p.run({ kind: 'thread' }, LONG);
    const stopped = p.run({ kind: 'spin' }, { timeLimitMs: 200 });
    const queued = p.run({ kind: 'echo', value: 'after' }, LONG);
    const error = await stopped.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).timeLimitMs).toBe(200);
    // The job queued behind it runs on the replacement worker.
    expect(await queued).toBe('after');
    const nextThread = await p.run({ kind: 'thread' }, LONG);
    expect(nextThread).not.toBe(firstThread);
    expect(p.size).toBe(1);
  });

  it('runs other jobs on other workers while one is stuck; only the stuck one fails', async () => {
    const p = pool({ maxWorkers: 2 });
    const order: string[] = [];
    const stuck = settle(order, 'stuck', p.run({ kind: 'spin' }, { timeLimitMs: 3000 }));
    const others = [1, 2, 3, 4].map((i) => settle(order, `echo ${i}`, p.run({ kind: 'echo', value: `v${i}` }, LONG)));
    expect(await Promise.all(others)).toEqual(['resolved: v1', 'resolved: v2', 'resolved: v3', 'resolved: v4']);
    expect(await stuck).toBe('rejected: JobTimeoutError');
    expect(order).toEqual(['echo 1', 'echo 2', 'echo 3', 'echo 4', 'stuck']);
  }, 120_000); // the limit is CPU time: on a crowded machine it takes longer on the clock

  it('keeps the reserved workers for short jobs: a flood of long jobs does not hold them up', async () => {
    const p = pool({ maxWorkers: 3, reservedForShortJobs: 1, longJobPriority: 1_000 });
    const order: string[] = [];
    const long = Array.from({ length: 4 }, (_, i) => settle(order, `long ${i}`, p.run({ kind: 'spin' }, { timeLimitMs: 2500, priority: Infinity })));
    // Long jobs take every worker but the reserved one.
    await expect.poll(() => p.busy, { timeout: 30_000 }).toBe(2);
    expect(p.queued).toBe(2);
    const short = Array.from({ length: 5 }, (_, i) => settle(order, `short ${i}`, p.run({ kind: 'echo', value: `s${i}` }, { timeLimitMs: 60_000, priority: 10 })));
    expect(await Promise.all(short)).toEqual(['resolved: s0', 'resolved: s1', 'resolved: s2', 'resolved: s3', 'resolved: s4']);
    expect(order).toEqual(['short 0', 'short 1', 'short 2', 'short 3', 'short 4']);
    expect(new Set(await Promise.all(long))).toEqual(new Set(['rejected: JobTimeoutError']));
    expect(p.size).toBeLessThanOrEqual(3);
  }, 120_000);

  it('runs queued jobs cheapest first', async () => {
    const p = pool({ maxWorkers: 1 });
    await p.run({ kind: 'echo', value: 'warm' }, LONG);
    const order: string[] = [];
    const blocker = settle(order, 'blocker', p.run({ kind: 'spin' }, { timeLimitMs: 300, priority: 0 }));
    const jobs = [50, 5, 500, 1].map((priority) => settle(order, `p${priority}`, p.run({ kind: 'echo', value: String(priority) }, { timeLimitMs: 60_000, priority })));
    await Promise.all([blocker, ...jobs]);
    expect(order).toEqual(['blocker', 'p1', 'p5', 'p50', 'p500']);
  });

  it('lets cheaper jobs overtake a waiting job only a bounded number of times', async () => {
    const p = pool({ maxWorkers: 1, maxOvertakes: 2 });
    await p.run({ kind: 'echo', value: 'warm' }, LONG);
    const order: string[] = [];
    const blocker = settle(order, 'blocker', p.run({ kind: 'spin' }, { timeLimitMs: 300, priority: 0 }));
    const jobs = [100, 1, 2, 3, 4].map((priority) => settle(order, `p${priority}`, p.run({ kind: 'echo', value: String(priority) }, { timeLimitMs: 60_000, priority })));
    await Promise.all([blocker, ...jobs]);
    expect(order).toEqual(['blocker', 'p1', 'p2', 'p100', 'p3', 'p4']);
  });

  it("runs each caller's jobs in the order it sent them, and callers in turn", async () => {
    const p = pool({ maxWorkers: 1 });
    await p.run({ kind: 'echo', value: 'warm' }, LONG);
    const order: string[] = [];
    const blocker = settle(order, 'blocker', p.run({ kind: 'spin' }, { timeLimitMs: 300, priority: 0 }));
    const a = [7, 3].map((priority) => settle(order, `a${priority}`, p.run({ kind: 'echo', value: 'a' }, { timeLimitMs: 60_000, priority, caller: 'a' })));
    const b = settle(order, 'b5', p.run({ kind: 'echo', value: 'b' }, { timeLimitMs: 60_000, priority: 5, caller: 'b' }));
    await Promise.all([blocker, ...a, b]);
    expect(order).toEqual(['blocker', 'b5', 'a7', 'a3']);
  });

  it("does not let a stream of cheaper jobs from other callers hold up a caller's earlier job", async () => {
    // The hostile pattern: every attacker keeps one cheaper job in flight and sends the next as soon as it ends.
    const p = pool({ maxWorkers: 1 });
    await p.run({ kind: 'echo', value: 'warm' }, LONG);
    const attackers = 8;
    const jobsEach = 30;
    let victimDone = false;
    let attackerJobsBeforeVictim = 0;
    const attack = async (caller: string): Promise<void> => {
      for (let n = 0; n < jobsEach && !victimDone; n++) {
        await p.run({ kind: 'echo', value: caller }, { timeLimitMs: 60_000, priority: 1, caller });
        if (!victimDone) attackerJobsBeforeVictim++;
      }
    };
    const loops = Array.from({ length: attackers }, (_, i) => attack(`attacker ${i}`));
    const victim = p.run({ kind: 'echo', value: 'victim' }, { timeLimitMs: 60_000, priority: 1_000, caller: 'victim' }).then((value) => {
      victimDone = true;
      return value;
    });
    expect(await victim).toBe('victim');
    await Promise.all(loops);
    // At most one job per attacker (the one each had queued before the victim's) goes first; never the whole stream.
    expect(attackerJobsBeforeVictim).toBeLessThanOrEqual(2 * attackers);
  });

  it("does not let later jobs of one caller hold up another caller's job (round robin between callers)", async () => {
    const p = pool({ maxWorkers: 1 });
    await p.run({ kind: 'echo', value: 'warm' }, LONG);
    const order: string[] = [];
    const blocker = settle(order, 'blocker', p.run({ kind: 'spin' }, { timeLimitMs: 300 }));
    const flood = Array.from({ length: 20 }, (_, i) => settle(order, `flood ${i}`, p.run({ kind: 'echo', value: 'x' }, { timeLimitMs: 60_000, caller: 'flood' })));
    const other = settle(order, 'other', p.run({ kind: 'echo', value: 'y' }, { timeLimitMs: 60_000, caller: 'other' }));
    await Promise.all([blocker, ...flood, other]);
    expect(order.indexOf('other')).toBeLessThanOrEqual(2);
  });

  it("measures the time limit in the job's own CPU time: a job that waits without using the CPU is not stopped", async () => {
    const p = pool({ maxWorkers: 1 });
    expect(await p.run({ kind: 'sleep', ms: 1_500 }, { timeLimitMs: 300 })).toBe('slept');
  });

  it('does not stop a job within its CPU time while other jobs crowd the cores, and stops the spinning ones', async () => {
    const spinners = Math.min(3 * availableParallelism(), 24);
    // Generous wall-clock backstop: only the CPU time decides here, however busy the machine.
    const p = pool({ maxWorkers: spinners + 1, wallTimeFactor: 100 });
    const spinning = Array.from({ length: spinners }, () => p.run({ kind: 'spin' }, { timeLimitMs: 1_000 }).catch((caught: unknown) => caught));
    await expect.poll(() => p.busy, { timeout: 30_000 }).toBe(spinners);
    // 400 ms of CPU time takes well over the 500 ms limit in wall-clock time when sharing the cores with the spinners.
    expect(await p.run({ kind: 'burn', cpuMs: 400 }, { timeLimitMs: 500 })).toBe('burnt');
    for (const error of await Promise.all(spinning)) expect(error).toBeInstanceOf(JobTimeoutError);
  }, 120_000);

  it('still stops a job that uses no CPU time after its wall-clock backstop', async () => {
    const p = pool({ maxWorkers: 1, wallTimeFactor: 5 });
    const error = await p.run({ kind: 'sleep', ms: 60_000 }, { timeLimitMs: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).timeLimitMs).toBe(100);
    expect(await p.run({ kind: 'echo', value: 'next' }, LONG)).toBe('next');
  });

  it('fails the job of a worker that exits, and replaces the worker', async () => {
    const p = pool({ maxWorkers: 1 });
    const error = await p.run({ kind: 'exit' }, LONG).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).message).toContain('exited with code 3');
    expect((error as WorkerFailedError).outOfMemory).toBe(false);
    expect(await p.run({ kind: 'echo', value: 'still here' }, LONG)).toBe('still here');
  });

  it('fails the job of a worker that runs out of memory as such', async () => {
    const p = pool({ maxWorkers: 1, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    const error = await p.run({ kind: 'hoard' }, LONG).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).outOfMemory).toBe(true);
    expect(await p.run({ kind: 'echo', value: 'recovered' }, LONG)).toBe('recovered');
  });

  it("passes on the handler's own error with its name and message", async () => {
    const error = await pool().run({ kind: 'throw' }, LONG).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ remoteName: 'TypeError', message: 'bad job' });
  });

  it('fails running and queued jobs when closed, and every job after', async () => {
    const p = pool({ maxWorkers: 1 });
    const running = p.run({ kind: 'spin' }, LONG).catch((caught: unknown) => caught);
    const queued = p.run({ kind: 'echo', value: 'never' }, LONG).catch((caught: unknown) => caught);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    await p.close();
    expect(await running).toBeInstanceOf(PoolClosedError);
    expect(await queued).toBeInstanceOf(PoolClosedError);
    expect(p.size).toBe(0);
    expect(await p.run({ kind: 'echo', value: 'late' }, LONG).catch((caught: unknown) => caught)).toBeInstanceOf(PoolClosedError);
  });

  it('fails jobs clearly when the worker script cannot start', async () => {
    const p = pool({ script: join(folder, 'missing.js') });
    const error = await p.run({ kind: 'echo', value: 'x' }, LONG).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as Error).message).toMatch(/could not start|failed/);
  });

  it('stops idle workers after the idle timeout', async () => {
    const p = pool({ maxWorkers: 2, idleTimeoutMs: 50, minIdleWorkers: 0 });
    await Promise.all([p.run({ kind: 'echo', value: 'a' }, LONG), p.run({ kind: 'echo', value: 'b' }, LONG)]);
    await expect.poll(() => p.size, { timeout: 10_000 }).toBe(0);
  });
});
