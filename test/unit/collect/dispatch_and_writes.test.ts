import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatchRollouts } from '../../../src/core/collect/dispatch';
import { fileAppendTarget, JsonlAppender, OutputWriteError, type AppendTarget } from '../../../src/core/collect/jsonl_appender';
import type { MaterializedRow } from '../../../src/core/collect/materialize';
import { RolloutCancelled, type RolloutOutcomeResult } from '../../../src/core/collect/run_rollout';
import { SystemicFailureDetector } from '../../../src/core/collect/systemic_failures';

function rows(count: number): MaterializedRow[] {
  return Array.from({ length: count }, (_, i) => ({ _ng_task_index: i, _ng_rollout_index: 0, agent_ref: { name: 'a' }, responses_create_params: {} }));
}

const success = (): RolloutOutcomeResult => ({ ok: true, bodyText: '{"reward":1.0}', result: { reward: 1 }, attempts: 1, attemptIndex: 0 });
const unauthorized = (): RolloutOutcomeResult => ({ ok: false, failureClass: 'model_error', message: 'HTTP 401: bad key (req_123)', retryNow: false, resumable: true, upstreamStatus: 401, attempts: 1, attemptIndex: 0 });

/** Resolves when `signal` aborts, rejecting as a cancelled rollout does. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new RolloutCancelled()), { once: true }));
}

describe('dispatchRollouts', () => {
  it('stops after three identical configuration failures; rollouts in flight are cancelled, not recorded', async () => {
    const recorded: number[] = [];
    let started = 0;
    let settled = 0;
    const result = await dispatchRollouts({
      rows: rows(50),
      parallel: 4,
      run: async (row, signal) => {
        started += 1;
        try {
          if (row._ng_task_index < 3) return unauthorized();
          return await untilAborted(signal);
        } finally {
          settled += 1;
        }
      },
      record: (row) => recorded.push(row._ng_task_index),
    });
    expect(result.stop).toMatchObject({ kind: 'systemic_failure', failure: { upstreamStatus: 401, occurrences: 3 } });
    expect(recorded.sort()).toEqual([0, 1, 2]);
    expect(started).toBeLessThan(10);
    expect(settled).toBe(started);
  });

  it('rollouts that settle without I/O still let a cancellation (a signal handler, a timer) in', async () => {
    const user = new AbortController();
    let recorded = 0;
    let ticks = 0;
    const progress = setInterval(() => (ticks += 1), 0);
    setTimeout(() => user.abort(), 5);
    const result = await dispatchRollouts({ rows: rows(200_000), parallel: 8, signal: user.signal, run: async () => success(), record: () => (recorded += 1) });
    clearInterval(progress);
    expect(result.stop).toEqual({ kind: 'cancelled' });
    expect(recorded).toBeLessThan(200_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it('a success between failures keeps the run going', async () => {
    const outcomes = [unauthorized, unauthorized, success, unauthorized, unauthorized, success, unauthorized];
    const result = await dispatchRollouts({ rows: rows(outcomes.length), parallel: 1, run: async (row) => outcomes[row._ng_task_index]!(), record: () => {} });
    expect(result.stop).toBeNull();
  });

  it('a write error stops the run and waits for the rollouts in flight', async () => {
    let inFlight = 0;
    let writes = 0;
    const result = await dispatchRollouts({
      rows: rows(20),
      parallel: 3,
      run: async (row, signal) => {
        inFlight += 1;
        try {
          if (row._ng_task_index < 2) return success();
          return await untilAborted(signal);
        } finally {
          inFlight -= 1;
        }
      },
      record: () => {
        writes += 1;
        if (writes === 2) throw new OutputWriteError('/out/rollouts.jsonl', 'ENOSPC', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    expect(result.stop).toEqual({ kind: 'write_error', path: '/out/rollouts.jsonl', message: 'Could not write to /out/rollouts.jsonl: ENOSPC (no space left on device)' });
    expect(inFlight).toBe(0);
  });

  it('a defect in one rollout costs that rollout, not the run', async () => {
    const recorded: RolloutOutcomeResult[] = [];
    const result = await dispatchRollouts({
      rows: rows(3),
      parallel: 1,
      run: async (row) => {
        if (row._ng_task_index === 1) throw new TypeError('boom');
        return success();
      },
      record: (_row, outcome) => recorded.push(outcome),
    });
    expect(result.stop).toBeNull();
    expect(recorded.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(recorded[1]).toMatchObject({ failureClass: 'unknown', message: 'Collector error: boom' });
  });

  it("the user's cancellation stops it as cancelled", async () => {
    const controller = new AbortController();
    const result = await dispatchRollouts({
      rows: rows(5),
      parallel: 2,
      signal: controller.signal,
      run: (_row, signal) => {
        setImmediate(() => controller.abort());
        return untilAborted(signal);
      },
      record: () => {},
    });
    expect(result.stop).toEqual({ kind: 'cancelled' });
  });
});

describe('SystemicFailureDetector', () => {
  const failure = (upstreamStatus: number | undefined, message = 'same') => ({ ok: false as const, failureClass: 'model_error' as const, message, retryNow: false, resumable: true, ...(upstreamStatus !== undefined ? { upstreamStatus } : {}) });

  it('trips on 3 configuration failures, 5 of anything else, and numbers in messages do not matter', () => {
    const auth = new SystemicFailureDetector();
    expect([auth.record(failure(403, 'id 1')), auth.record(failure(403, 'id 2'))]).toEqual([null, null]);
    expect(auth.record(failure(403, 'id 3'))).toMatchObject({ occurrences: 3, advice: expect.stringContaining('refused access') });
    const other = new SystemicFailureDetector();
    for (let i = 0; i < 4; i++) expect(other.record(failure(500))).toBeNull();
    expect(other.record(failure(500))).toMatchObject({ occurrences: 5 });
  });

  it('a row-specific 4xx counts only while nothing has succeeded', () => {
    const detector = new SystemicFailureDetector();
    detector.record({ ok: true });
    for (let i = 0; i < 10; i++) expect(detector.record(failure(400, 'prompt too long'))).toBeNull();
    const fresh = new SystemicFailureDetector();
    for (let i = 0; i < 4; i++) fresh.record(failure(400, "Unknown parameter: 'foo'"));
    expect(fresh.record(failure(400, "Unknown parameter: 'foo'"))?.advice).toContain('start a fresh run');
  });

  it('failures of other kinds (a bad row, an agent error) never trip it', () => {
    const detector = new SystemicFailureDetector();
    for (let i = 0; i < 10; i++) expect(detector.record({ ok: false, failureClass: 'agent_error', message: 'x', retryNow: false, resumable: false })).toBeNull();
  });
});

describe('JsonlAppender on a failing disk', () => {
  it('a write that fails part-way is cut back to the last whole line and reported with the file and the code', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gym-append-')), 'out.jsonl');
    writeFileSync(path, '{"a":1}\n');
    let budget = 20;
    const failing: AppendTarget = {
      ...fileAppendTarget,
      write: (fd, bytes, offset, length) => {
        if (budget <= 0) throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
        const n = fileAppendTarget.write(fd, bytes, offset, Math.min(length, budget));
        budget -= n;
        return n;
      },
    };
    const appender = new JsonlAppender(path, failing);
    appender.append('{"b":2}');
    expect(() => appender.append(JSON.stringify({ c: 'x'.repeat(100) }))).toThrow(/^Could not write to .*out\.jsonl: ENOSPC \(no space left on device, write\)$/);
    appender.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('a torn last line left by a crash is cut off on open', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gym-append-')), 'out.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":');
    new JsonlAppender(path).close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
  });
});
