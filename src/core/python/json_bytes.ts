/**
 * The first step of Python's `json.loads(b)` for a `bytes` argument: `b.decode(json.detect_encoding(b),
 * 'surrogatepass')`. The encoding is read off the first bytes (a UTF-32/UTF-16/UTF-8 BOM, or the pattern of zero
 * bytes that ASCII text leaves in UTF-16/32); `surrogatepass` lets encoded surrogates through as lone surrogates.
 * Returns `null` where Python raises `UnicodeDecodeError`.
 */
import { isUtf8 } from 'node:buffer';

type JsonEncoding = 'utf-8' | 'utf-8-sig' | 'utf-16' | 'utf-16-be' | 'utf-16-le' | 'utf-32' | 'utf-32-be' | 'utf-32-le';

/** `json.detect_encoding`. */
function detectEncoding(b: Buffer): JsonEncoding {
  const startsWith = (...bytes: number[]): boolean => bytes.every((byte, i) => b[i] === byte);
  if (startsWith(0x00, 0x00, 0xfe, 0xff) || startsWith(0xff, 0xfe, 0x00, 0x00)) return 'utf-32';
  if (startsWith(0xfe, 0xff) || startsWith(0xff, 0xfe)) return 'utf-16';
  if (startsWith(0xef, 0xbb, 0xbf)) return 'utf-8-sig';
  if (b.length >= 4) {
    if (b[0] === 0) return b[1] !== 0 ? 'utf-16-be' : 'utf-32-be';
    if (b[1] === 0) return b[2] !== 0 || b[3] !== 0 ? 'utf-16-le' : 'utf-32-le';
  } else if (b.length === 2) {
    if (b[0] === 0) return 'utf-16-be';
    if (b[1] === 0) return 'utf-16-le';
  }
  return 'utf-8';
}

/** Strict UTF-8 as CPython decodes it, except that encoded surrogates (ED A0..BF xx) pass. */
function decodeUtf8SurrogatePass(b: Buffer, start: number): string | null {
  if (isUtf8(b.subarray(start))) return b.toString('utf8', start);
  const units: number[] = [];
  let i = start;
  while (i < b.length) {
    const c = b[i] as number;
    let cp: number;
    let need: number;
    let min: number;
    if (c < 0x80) {
      units.push(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      cp = c & 0x1f;
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = c & 0x0f;
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = c & 0x07;
      need = 3;
      min = 0x10000;
    } else {
      return null;
    }
    for (let k = 1; k <= need; k++) {
      const cont = b[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff) return null;
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      units.push(cp);
    }
    i += need + 1;
  }
  return unitsToString(units);
}

function unitsToString(units: readonly number[]): string {
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.slice(i, i + 8192));
  return out;
}

function decodeUtf16(b: Buffer, start: number, littleEndian: boolean): string | null {
  if ((b.length - start) % 2 !== 0) return null;
  const units: number[] = [];
  for (let i = start; i < b.length; i += 2) units.push(littleEndian ? b.readUInt16LE(i) : b.readUInt16BE(i));
  return unitsToString(units);
}

function decodeUtf32(b: Buffer, start: number, littleEndian: boolean): string | null {
  if ((b.length - start) % 4 !== 0) return null;
  const units: number[] = [];
  for (let i = start; i < b.length; i += 4) {
    const cp = littleEndian ? b.readUInt32LE(i) : b.readUInt32BE(i);
    if (cp > 0x10ffff) return null;
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      units.push(cp);
    }
  }
  return unitsToString(units);
}

export function decodeJsonBytes(b: Buffer): string | null {
  switch (detectEncoding(b)) {
    case 'utf-8':
      return decodeUtf8SurrogatePass(b, 0);
    case 'utf-8-sig':
      return decodeUtf8SurrogatePass(b, 3);
    case 'utf-16':
      return decodeUtf16(b, 2, b[0] === 0xff);
    case 'utf-16-le':
      return decodeUtf16(b, 0, true);
    case 'utf-16-be':
      return decodeUtf16(b, 0, false);
    case 'utf-32':
      return decodeUtf32(b, 4, b[0] === 0xff);
    case 'utf-32-le':
      return decodeUtf32(b, 0, true);
    case 'utf-32-be':
      return decodeUtf32(b, 0, false);
  }
}
