import type { FileHandle } from 'node:fs/promises';

/**
 * One streaming pass over a byte range of a file, reporting every newline-terminated line. Large chunks are read
 * into one reused buffer and newlines found with `Buffer.indexOf` (memchr); a line that crosses a chunk boundary
 * is moved to the front of the buffer, and the buffer grows only for a line longer than itself.
 */

export interface LineVisitor {
  /**
   * `buf[start, end)` is the line without its `\n` (and without a `\r` before it); `offset` is the line's byte
   * offset in the file and `byteLength` its length including the line break.
   */
  (buf: Buffer, start: number, end: number, offset: number, byteLength: number, lineNumber: number): void;
}

export interface ScanLinesOptions {
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the file offset reached. */
  onProgress?: (offset: number) => void;
}

export interface ScanLinesResult {
  /** Offset where the unterminated tail starts (equal to `to` when the range ends with a newline). */
  tailStart: number;
  /** The 1-based number the next line (the tail, if any) has. */
  nextLineNumber: number;
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export async function scanLines(
  handle: FileHandle,
  from: number,
  to: number,
  firstLineNumber: number,
  visit: LineVisitor,
  options: ScanLinesOptions = {},
): Promise<ScanLinesResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let buf = Buffer.allocUnsafe(Math.min(chunkSize, Math.max(to - from, 1)));
  let lineNumber = firstLineNumber;
  /** File offset of buf[0]. */
  let bufOffset = from;
  /** Bytes of buf holding file data. */
  let filled = 0;
  let readOffset = from;
  while (readOffset < to) {
    options.signal?.throwIfAborted();
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const want = Math.min(buf.length - filled, to - readOffset);
    const { bytesRead } = await handle.read(buf, filled, want, readOffset);
    if (bytesRead === 0) break; // the file shrank under us; the caller re-checks its size
    filled += bytesRead;
    readOffset += bytesRead;

    let lineStart = 0;
    for (;;) {
      const newline = buf.indexOf(NEWLINE, lineStart);
      if (newline < 0 || newline >= filled) break;
      const end = newline > lineStart && buf[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
      visit(buf, lineStart, end, bufOffset + lineStart, newline + 1 - lineStart, lineNumber);
      lineNumber++;
      lineStart = newline + 1;
    }
    if (lineStart > 0) {
      buf.copy(buf, 0, lineStart, filled);
      filled -= lineStart;
      bufOffset += lineStart;
    }
    options.onProgress?.(readOffset);
  }
  return { tailStart: bufOffset, nextLineNumber: lineNumber };
}

/** Reads `length` bytes at `offset` into a new buffer. */
export async function readRange(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) return buf.subarray(0, done);
    done += bytesRead;
  }
  return buf;
}
