/**
 * Python's `\w` (str.isalnum() or '_') and decimal digits (str.isdecimal(), `\d`) as code point ranges of
 * CPython 3.13's Unicode version (15.1), independent of the JavaScript engine's Unicode version.
 */
import { DECIMAL_RANGES, WORD_RANGES } from './unicode_props_data';

export type CodePointRanges = Array<[number, number]>;

function parse(text: string): CodePointRanges {
  return text.split(',').map((part) => {
    const dash = part.indexOf('-');
    if (dash < 0) {
      const v = parseInt(part, 16);
      return [v, v];
    }
    return [parseInt(part.slice(0, dash), 16), parseInt(part.slice(dash + 1), 16)];
  });
}

/** The index of the range holding `cp` in sorted, disjoint ranges (binary search), or -1. */
export function findRange(ranges: CodePointRanges, cp: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as [number, number];
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

let word: CodePointRanges | null = null;
let decimal: CodePointRanges | null = null;

export function pyWordRanges(): CodePointRanges {
  word ??= parse(WORD_RANGES);
  return word;
}

export function pyDecimalRanges(): CodePointRanges {
  decimal ??= parse(DECIMAL_RANGES);
  return decimal;
}

/** Python `\w` (Unicode) membership. */
export function isPyWordChar(cp: number): boolean {
  return findRange(pyWordRanges(), cp) >= 0;
}

/** `unicodedata.decimal(chr(cp))`, or -1. Decimal digits come in aligned runs of 0–9. */
export function pyDecimalValue(cp: number): number {
  const ranges = pyDecimalRanges();
  const i = findRange(ranges, cp);
  return i < 0 ? -1 : (cp - (ranges[i] as [number, number])[0]) % 10;
}

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** The ranges as the body of a JS `v`-flag character class. */
export function rangesClassBody(ranges: CodePointRanges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
}
