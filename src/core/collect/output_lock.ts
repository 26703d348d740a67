import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { outputPaths } from './output_paths';

/**
 * One collector per output file. The lock is `<stem>.lock` beside the output (named like its sidecars, which
 * outputs of one stem share), holding who took it:
 * `{"pid", "host", "started_at", "command"}`. It is created atomically (a hard link of a fully written temporary
 * file, which fails if the lock exists), so a reader never sees a half-written holder. A lock whose process is
 * gone (same host, pid no longer running, e.g. after `kill -9`) is taken over with a note.
 */
export interface LockHolder {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

export interface OutputLock {
  readonly path: string;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

export class OutputLockedError extends Error {
  constructor(
    readonly outputPath: string,
    readonly holder: LockHolder | null,
    lockPath: string,
  ) {
    super(
      holder
        ? `${outputPath} is being written by another collection: ${describeHolder(holder)}. ` +
            `Wait for it to finish, or stop it; if that process is gone for good (e.g. on another machine), delete ${lockPath}.`
        : `${outputPath} is locked by ${lockPath}, whose holder cannot be read. If no collection is writing this file, delete the lock file.`,
    );
    this.name = 'OutputLockedError';
  }
}

export function lockPathFor(outputPath: string): string {
  return outputPaths(outputPath).lock;
}

export function describeHolder(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`;
}

/**
 * Takes the lock of `outputPath` or throws {@link OutputLockedError} naming the holder. Also proves the folder is
 * writable: any other error (read-only folder, no space) is thrown as is, before anything else has started.
 */
export function acquireOutputLock(outputPath: string, options: { command: string; onNotice?: (message: string) => void }): OutputLock {
  const lockPath = lockPathFor(outputPath);
  const mine: LockHolder = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: options.command };
  const content = `${JSON.stringify(mine)}\n`;
  const temporary = `${lockPath}.${process.pid}.${Date.now()}.tmp`;
  writeWhole(temporary, content);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryLink(temporary, lockPath)) return heldLock(lockPath, content);
      const holderText = readOrNull(lockPath);
      if (holderText === null) continue; // released meanwhile: try again
      const holder = parseHolder(holderText);
      if (holder === null || !isStale(holder)) throw new OutputLockedError(outputPath, holder, lockPath);
      if (takeOverStale(lockPath, holderText)) {
        options.onNotice?.(`Took over the lock of ${outputPath} left by ${describeHolder(holder)}, which is no longer running.`);
      }
    }
    throw new OutputLockedError(outputPath, parseHolder(readOrNull(lockPath) ?? ''), lockPath);
  } finally {
    unlinkQuietly(temporary);
  }
}

function heldLock(lockPath: string, content: string): OutputLock {
  let held = true;
  return {
    path: lockPath,
    release() {
      if (!held) return;
      held = false;
      if (readOrNull(lockPath) === content) unlinkQuietly(lockPath);
    },
  };
}

/** A holder on this machine whose process has ended. Another machine's holder cannot be checked: never stale. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale lock aside and checks that what was moved is the stale holder we read: if another collector
 * took it over in between, its fresh lock is put back and we report failure.
 */
function takeOverStale(lockPath: string, staleText: string): boolean {
  const aside = `${lockPath}.${process.pid}.stale`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return false;
  }
  const moved = readOrNull(aside);
  if (moved !== staleText) {
    tryLink(aside, lockPath);
    unlinkQuietly(aside);
    return false;
  }
  unlinkQuietly(aside);
  return true;
}

/** Creates `to` with the content of `from` unless `to` exists; false when it does. */
function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  // A filesystem without hard links: exclusive create, then write (a reader may briefly see it empty).
  try {
    writeWhole(to, readFileSync(from, 'utf8'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function writeWhole(path: string, content: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, content);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(path);
    throw error;
  }
  closeSync(fd);
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, started_at: String(value.started_at ?? '?'), command: String(value.command ?? 'a collector') };
    }
  } catch {
    // unreadable
  }
  return null;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
