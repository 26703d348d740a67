/**
 * `unicodedata.lookup(name)` restricted to what `re`'s `\N{name}` accepts (a name of one character):
 * stored names and aliases, compared case-insensitively (ASCII upper-casing, as CPython's `_cmpname`), and the
 * algorithmic names that CPython recognises case-sensitively: `HANGUL SYLLABLE <jamo>` and
 * `CJK UNIFIED IDEOGRAPH-<4 or 5 upper-case hex digits>`.
 * The table is decoded on first use (it is only needed by patterns containing `\N{`).
 */
import { inflateRawSync } from 'node:zlib';
import { UNICODE_NAMES_DEFLATED_BASE64 } from './unicode_names_data';

let names: Map<string, number> | null = null;

function table(): Map<string, number> {
  if (names !== null) return names;
  const text = inflateRawSync(Buffer.from(UNICODE_NAMES_DEFLATED_BASE64, 'base64')).toString('ascii');
  const map = new Map<string, number>();
  let cp = 0;
  for (const line of text.split('\n')) {
    const semi = line.indexOf(';');
    const delta = line.slice(0, semi);
    cp += delta === '' ? 1 : parseInt(delta, 16);
    map.set(line.slice(semi + 1), cp);
  }
  names = map;
  return map;
}

const JAMO_L = ['G', 'GG', 'N', 'D', 'DD', 'R', 'M', 'B', 'BB', 'S', 'SS', '', 'J', 'JJ', 'C', 'K', 'T', 'P', 'H'];
const JAMO_V = [
  'A', 'AE', 'YA', 'YAE', 'EO', 'E', 'YEO', 'YE', 'O', 'WA', 'WAE', 'OE', 'YO', 'U', 'WEO', 'WE', 'WI', 'YU',
  'EU', 'YI', 'I',
];
const JAMO_T = [
  '', 'G', 'GG', 'GS', 'N', 'NJ', 'NH', 'D', 'L', 'LG', 'LM', 'LB', 'LS', 'LT', 'LP', 'LH', 'M', 'B', 'BS', 'S',
  'SS', 'NG', 'J', 'C', 'K', 'T', 'P', 'H',
];

/** CPython's `find_syllable`: the longest jamo name at `pos` (the empty name if none). */
function findSyllable(s: string, pos: number, list: readonly string[]): [number, number] {
  let len = -1;
  let index = -1;
  list.forEach((jamo, i) => {
    if (jamo.length <= len) return;
    if (s.startsWith(jamo, pos)) {
      len = jamo.length;
      index = i;
    }
  });
  return [index, Math.max(len, 0)];
}

// CJK unified ideograph blocks of Unicode 15.1 (Python 3.13).
const UNIFIED_IDEOGRAPHS: Array<[number, number]> = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b739],
  [0x2b740, 0x2b81d],
  [0x2b820, 0x2cea1],
  [0x2ceb0, 0x2ebe0],
  [0x2ebf0, 0x2ee5d],
  [0x30000, 0x3134a],
  [0x31350, 0x323af],
];

function algorithmic(name: string): number | null {
  if (name.startsWith('HANGUL SYLLABLE ')) {
    let pos = 16;
    const [l, ll] = findSyllable(name, pos, JAMO_L);
    pos += ll;
    const [v, vl] = findSyllable(name, pos, JAMO_V);
    pos += vl;
    const [t, tl] = findSyllable(name, pos, JAMO_T);
    pos += tl;
    if (l >= 0 && v >= 0 && t >= 0 && pos === name.length) return 0xac00 + (l * 21 + v) * 28 + t;
    return -1;
  }
  if (name.startsWith('CJK UNIFIED IDEOGRAPH-')) {
    const hex = name.slice(22);
    if (!/^[0-9A-F]{4,5}$/.test(hex)) return -1;
    const v = parseInt(hex, 16);
    return UNIFIED_IDEOGRAPHS.some(([lo, hi]) => v >= lo && v <= hi) ? v : -1;
  }
  return null;
}

function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** The code point named `name`, or null if `\N{name}` is an undefined character name. */
export function lookupUnicodeName(name: string): number | null {
  const alg = algorithmic(name);
  if (alg !== null) return alg < 0 ? null : alg;
  return table().get(asciiUpper(name)) ?? null;
}
