import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

/** A line could not be written (no space left, read-only or failing disk); the file still ends with a whole line. */
export class OutputWriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`Could not write to ${path}: ${code ? `${code} (${(cause as Error).message})` : String((cause as Error)?.message ?? cause)}`);
    this.name = 'OutputWriteError';
  }
}

/** The low-level writes an appender makes (tests substitute a failing one). */
export interface AppendTarget {
  open(path: string): number;
  write(fd: number, bytes: Buffer, offset: number, length: number): number;
  truncate(fd: number, size: number): void;
  size(fd: number): number;
  close(fd: number): void;
}

export const fileAppendTarget: AppendTarget = {
  open: (path) => openSync(path, 'a+'),
  write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
  truncate: (fd, size) => ftruncateSync(fd, size),
  size: (fd) => fstatSync(fd).size,
  close: (fd) => closeSync(fd),
};

/**
 * Appends whole lines: each line goes out in one `write` on a file opened for appending, so a crash or
 * `kill -9` leaves complete lines only (a partial tail from an earlier writer is cut off on open). When a write
 * fails part-way, the file is cut back to its last whole line and {@link OutputWriteError} is thrown.
 */
export class JsonlAppender {
  private fd: number | null;
  private size: number;

  constructor(
    readonly path: string,
    private readonly target: AppendTarget = fileAppendTarget,
  ) {
    try {
      this.fd = target.open(path);
      repairTornTail(this.fd, target);
      this.size = target.size(this.fd);
    } catch (error) {
      throw new OutputWriteError(path, (error as NodeJS.ErrnoException).code, error);
    }
  }

  append(line: string): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += this.target.write(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      if (written > 0) {
        try {
          this.target.truncate(this.fd, this.size);
        } catch {
          // The next open cuts the torn tail off (repairTornTail).
        }
      }
      throw new OutputWriteError(this.path, (error as NodeJS.ErrnoException).code, error);
    }
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd !== null) this.target.close(this.fd);
    this.fd = null;
  }
}

/** Drops a last line that lacks its newline: it was being written when the writer died. */
function repairTornTail(fd: number, target: AppendTarget): void {
  const size = target.size(fd);
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const length = end - start;
    readSync(fd, chunk, 0, length, start);
    const newline = chunk.subarray(0, length).lastIndexOf(0x0a);
    if (newline >= 0) {
      target.truncate(fd, start + newline + 1);
      return;
    }
    end = start;
  }
  target.truncate(fd, 0);
}
