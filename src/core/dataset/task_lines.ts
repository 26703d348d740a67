/**
 * Byte-exact line reading for task files. NeMo Gym's task index is the index of the distinct *raw line string*
 * (NEMO_GYM_PROTOCOL.md §5.2), so lines are split on `\n` only and kept exactly as written: a `\r` before the
 * `\n` stays part of the line, and nothing is trimmed.
 */
import { createReadStream } from 'node:fs';

export interface RawTaskLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line's text without its `\n` terminator (a trailing `\r` is kept). */
  raw: string;
  /** False only for a last line that is not followed by `\n`. */
  terminated: boolean;
  /** False when the line's bytes are not valid UTF-8 (`raw` then holds replacement characters). */
  validUtf8: boolean;
  /** Set on line 1 when the file starts with a UTF-8 byte-order mark, which is not part of `raw`. */
  byteOrderMark?: true;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const NEWLINE = 0x0a;

/** Whether a line holds nothing but whitespace (NeMo Gym's reader fails on such a line). */
export function isBlankLine(raw: string): boolean {
  return raw.trim().length === 0;
}

function decodeLine(bytes: Buffer): { raw: string; validUtf8: boolean } {
  const raw = bytes.toString('utf8');
  // A round trip that changes the bytes means the decoder substituted U+FFFD for invalid sequences.
  const validUtf8 = !raw.includes('\uFFFD') || Buffer.from(raw, 'utf8').equals(bytes);
  return { raw, validUtf8 };
}

/** Splits text the same way {@link readRawTaskLines} splits a file. A final empty segment is not a line. */
export function* splitRawTaskLines(text: string): Generator<RawTaskLine> {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) {
      yield { line, raw: text.slice(start), terminated: false, validUtf8: true };
      return;
    }
    yield { line, raw: text.slice(start, end), terminated: true, validUtf8: true };
    start = end + 1;
    line += 1;
  }
}

/**
 * Streams a file's lines without loading it whole; splitting happens on bytes, so multi-byte characters are safe.
 * A UTF-8 byte-order mark at the start of the file (some editors on Windows write one) is dropped and reported.
 */
export async function* readRawTaskLines(path: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<RawTaskLine> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
  let pending: Buffer[] = [];
  let line = 1;
  let first = true;
  let byteOrderMark = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      if (first) {
        first = false;
        if (chunk.subarray(0, 3).equals(UTF8_BOM)) {
          byteOrderMark = true;
          start = 3;
        }
      }
      let end = chunk.indexOf(NEWLINE, start);
      while (end !== -1) {
        const piece = chunk.subarray(start, end);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        yield { line, ...decodeLine(bytes), terminated: true, ...(line === 1 && byteOrderMark ? { byteOrderMark: true as const } : {}) };
        line += 1;
        start = end + 1;
        end = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
    if (pending.length > 0) yield { line, ...decodeLine(Buffer.concat(pending)), terminated: false, ...(line === 1 && byteOrderMark ? { byteOrderMark: true as const } : {}) };
  } finally {
    stream.destroy();
  }
}
