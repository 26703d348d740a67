import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOutputLock, lockPathFor, OutputLockedError } from '../../../src/core/collect/output_lock';

function output(): string {
  return join(mkdtempSync(join(tmpdir(), 'gym-lock-')), 'rollouts.jsonl');
}

/** A pid that no process has right now (searched downwards from the kernel's largest pid). */
function deadPid(): number {
  for (let pid = 4_194_303; pid > 1; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid');
}

describe('output lock', () => {
  it('is taken once; a second taker is refused with the file and the holder named', () => {
    const path = output();
    const lock = acquireOutputLock(path, { command: 'first collector' });
    const holder = JSON.parse(readFileSync(lockPathFor(path), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'first collector' });
    expect(typeof holder.started_at).toBe('string');
    let refused: unknown;
    try {
      acquireOutputLock(path, { command: 'second collector' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(OutputLockedError);
    expect((refused as Error).message).toContain(path);
    expect((refused as Error).message).toContain(`first collector (pid ${process.pid} on ${hostname()}`);
    lock.release();
    expect(existsSync(lockPathFor(path))).toBe(false);
    acquireOutputLock(path, { command: 'third collector' }).release();
  });

  it('outputs that share sidecars share the lock: r.jsonl, r.txt and r are one collection', () => {
    const path = output();
    const lock = acquireOutputLock(path, { command: 'first collector' });
    for (const other of [path.replace(/\.jsonl$/, '.txt'), path.replace(/\.jsonl$/, '')]) {
      expect(() => acquireOutputLock(other, { command: 'second collector' })).toThrow(OutputLockedError);
    }
    lock.release();
    // An output named like a lock does not lock itself.
    const odd = path.replace(/\.jsonl$/, '.lock');
    expect(lockPathFor(odd)).toBe(`${odd}.lock`);
    acquireOutputLock(odd, { command: 'odd' }).release();
  });

  it('takes over a lock left by a process that is gone, with a note', () => {
    const path = output();
    const pid = deadPid();
    writeFileSync(lockPathFor(path), JSON.stringify({ pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'ng_collect_rollouts' }));
    const notes: string[] = [];
    const lock = acquireOutputLock(path, { command: 'me', onNotice: (note) => notes.push(note) });
    expect(notes).toEqual([expect.stringContaining(`left by ng_collect_rollouts (pid ${pid}`)]);
    expect(JSON.parse(readFileSync(lockPathFor(path), 'utf8'))).toMatchObject({ pid: process.pid, command: 'me' });
    lock.release();
  });

  it("never takes over another machine's lock (its process cannot be checked)", () => {
    const path = output();
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: deadPid(), host: 'another-host.example', started_at: 't', command: 'ng_collect_rollouts' }));
    expect(() => acquireOutputLock(path, { command: 'me' })).toThrow(/on another-host\.example.*delete .*rollouts\.lock/s);
  });

  it('an unreadable lock file is reported, not overwritten', () => {
    const path = output();
    writeFileSync(lockPathFor(path), 'garbage');
    expect(() => acquireOutputLock(path, { command: 'me' })).toThrow(/whose holder cannot be read/);
    expect(readFileSync(lockPathFor(path), 'utf8')).toBe('garbage');
  });

  it('release leaves a lock alone that is no longer ours', () => {
    const path = output();
    const lock = acquireOutputLock(path, { command: 'me' });
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: 1, host: hostname(), started_at: 't', command: 'someone else' }));
    lock.release();
    expect(readFileSync(lockPathFor(path), 'utf8')).toContain('someone else');
  });
});
