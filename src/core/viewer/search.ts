import { open } from 'node:fs/promises';
import { readRange } from './line_reader';
import { parseJsonLenient } from './json_text';
import type { SearchMatch, SearchWhere } from './model';
import type { RolloutIndex } from './rollout_index';
import { contentToText } from './rollout_view';
import { isJsonObject } from '../json_object';

/**
 * Free-text search over a rollout file, on the host: reads the candidate lines in large sequential batches,
 * looks only at the conversation parts (`responses_create_params.input` and `response.output`; the 27 tool
 * schemas every line repeats would match almost any word), confirms a hit by parsing just those parts, and
 * streams matches as it goes. Stops at `limit` matches or when cancelled.
 */

export interface SearchOptions {
  text: string;
  /** Entries to look at, in file order (already narrowed by the structured filters). */
  candidates: readonly number[];
  limit: number;
  signal?: AbortSignal;
  /** Called with new matches, at most every `progressIntervalMs`, and once at the end. */
  onProgress?: (matches: SearchMatch[], scanned: number) => void;
  progressIntervalMs?: number;
  batchBytes?: number;
}

export interface SearchOutcome {
  scanned: number;
  matched: number;
  limitReached: boolean;
  cancelled: boolean;
}

const SNIPPET_BEFORE = 48;
const SNIPPET_AFTER = 96;
/** Sparse candidates farther apart than this are read separately rather than in one span. */
const MAX_GAP_BYTES = 256 * 1024;

/** The forms the needle takes inside JSON text: escaped as orjson writes it, and ASCII-escaped as Python does. */
export function jsonNeedles(text: string): string[] {
  const lower = text.toLowerCase();
  const escaped = JSON.stringify(lower).slice(1, -1);
  const asciiEscaped = escaped.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return asciiEscaped === escaped ? [escaped] : [escaped, asciiEscaped];
}

interface TextPart {
  where: SearchWhere;
  name: string | null;
  text: string;
}


/** The human-readable texts of a list of input or output items. */
function textParts(items: unknown, fromOutput: boolean, callNames: Map<string, string>): TextPart[] {
  if (typeof items === 'string') return [{ where: 'user', name: null, text: items }];
  if (!Array.isArray(items)) return [];
  const parts: TextPart[] = [];
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    const type = typeof item.type === 'string' ? item.type : typeof item.role === 'string' ? 'message' : '';
    if (type === 'message') {
      const role = typeof item.role === 'string' ? item.role : fromOutput ? 'assistant' : 'message';
      const where: SearchWhere = role === 'system' || role === 'developer' ? 'system' : role === 'user' ? 'user' : role === 'assistant' ? 'assistant' : 'message';
      parts.push({ where, name: null, text: contentToText(item.content) });
    } else if (type === 'reasoning') {
      for (const field of ['summary', 'content'] as const) {
        const list = item[field];
        if (Array.isArray(list)) for (const p of list) if (isJsonObject(p) && typeof p.text === 'string') parts.push({ where: 'reasoning', name: null, text: p.text });
      }
    } else if (type === 'function_call') {
      const name = typeof item.name === 'string' ? item.name : null;
      if (name && typeof item.call_id === 'string') callNames.set(item.call_id, name);
      parts.push({ where: 'arguments', name, text: typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments) });
    } else if (type === 'function_call_output') {
      const name = typeof item.call_id === 'string' ? (callNames.get(item.call_id) ?? null) : null;
      parts.push({ where: 'output', name, text: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
    }
  }
  return parts;
}

function flatten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function snippet(entry: number, part: TextPart, at: number, length: number): SearchMatch {
  const start = Math.max(0, at - SNIPPET_BEFORE);
  const end = Math.min(part.text.length, at + length + SNIPPET_AFTER);
  return {
    entry,
    where: part.where,
    name: part.name,
    before: (start > 0 ? '…' : '') + flatten(part.text.slice(start, at)),
    match: part.text.slice(at, at + length),
    after: flatten(part.text.slice(at + length, end)) + (end < part.text.length ? '…' : ''),
  };
}

/** Confirms a raw hit by looking at the decoded texts; returns the first real match. */
function confirm(entry: number, inputText: string | null, outputText: string | null, needle: string): SearchMatch | null {
  const callNames = new Map<string, string>();
  const parts: TextPart[] = [];
  for (const [raw, fromOutput] of [[inputText, false], [outputText, true]] as const) {
    if (raw === null) continue;
    const parsed = parseJsonLenient(raw);
    if (parsed.ok) parts.push(...textParts(parsed.value, fromOutput, callNames));
  }
  for (const part of parts) {
    const at = part.text.toLowerCase().indexOf(needle);
    if (at >= 0) return snippet(entry, part, at, needle.length);
  }
  return null;
}

function rawContains(text: string, needles: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return needles.some((needle) => lower.includes(needle));
}

export async function searchRollouts(index: RolloutIndex, options: SearchOptions): Promise<SearchOutcome> {
  const needle = options.text.toLowerCase();
  const needles = jsonNeedles(options.text);
  const batchBytes = options.batchBytes ?? 8 * 1024 * 1024;
  const interval = options.progressIntervalMs ?? 100;
  const outcome: SearchOutcome = { scanned: 0, matched: 0, limitReached: false, cancelled: false };
  let pending: SearchMatch[] = [];
  let lastReport = Date.now();
  const report = (force: boolean) => {
    if (!force && Date.now() - lastReport < interval) return;
    lastReport = Date.now();
    options.onProgress?.(pending, outcome.scanned);
    pending = [];
  };
  if (needle.trim() === '') return outcome;

  const handle = await open(index.path, 'r');
  try {
    let k = 0;
    const candidates = options.candidates;
    while (k < candidates.length) {
      if (options.signal?.aborted) {
        outcome.cancelled = true;
        break;
      }
      // One read for a run of nearby candidates.
      const first = candidates[k] as number;
      const spanStart = index.offset(first);
      let last = k;
      while (last + 1 < candidates.length) {
        const next = candidates[last + 1] as number;
        const prev = candidates[last] as number;
        const nextEnd = index.offset(next) + index.byteLength(next);
        if (nextEnd - spanStart > batchBytes || index.offset(next) - (index.offset(prev) + index.byteLength(prev)) > MAX_GAP_BYTES) break;
        last++;
      }
      const lastEntry = candidates[last] as number;
      const span = await readRange(handle, spanStart, index.offset(lastEntry) + index.byteLength(lastEntry) - spanStart);
      for (let c = k; c <= last; c++) {
        const entry = candidates[c] as number;
        outcome.scanned++;
        const match = matchEntry(index, entry, span, spanStart, needle, needles);
        if (!match) continue;
        pending.push(match);
        outcome.matched++;
        if (outcome.matched >= options.limit) {
          outcome.limitReached = true;
          break;
        }
      }
      k = last + 1;
      if (outcome.limitReached) break;
      report(false);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await handle.close();
  }
  report(true);
  return outcome;
}

function matchEntry(index: RolloutIndex, entry: number, span: Buffer, spanStart: number, needle: string, needles: readonly string[]): SearchMatch | null {
  const lineStart = index.offset(entry) - spanStart;
  const lineEnd = lineStart + index.byteLength(entry);
  if (index.broken(entry) !== null) {
    const text = span.toString('utf8', lineStart, lineEnd);
    const at = text.toLowerCase().indexOf(needle);
    return at < 0 ? null : snippet(entry, { where: 'message', name: null, text }, at, needle.length);
  }
  const ranges = index.searchRanges(entry);
  const slice = ([from, to]: readonly [number, number]) => (to > from ? span.toString('utf8', from - spanStart, to - spanStart) : null);
  const inputText = slice(ranges.input);
  const outputText = slice(ranges.output);
  const hit = (inputText !== null && rawContains(inputText, needles)) || (outputText !== null && rawContains(outputText, needles));
  return hit ? confirm(entry, inputText, outputText, needle) : null;
}
