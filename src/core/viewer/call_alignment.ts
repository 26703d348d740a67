import { diffChars, diffWordsWithSpace } from 'diff';
import { MALFORMED, scanObject, skipValue, skipWhitespace } from './json_scan';
import { formatJson, parseJsonLenient } from './json_text';
import type { AlignedCall, ArgumentDiff, ArgumentStatus, CallSummary, DiffSegment } from './model';

/**
 * Lines the expected (ground-truth) calls up with the state-changing calls the model made, in order, and says
 * per argument what differs. The verifier replays both lists and compares the resulting tables
 * (WORKPLACE_TOOLS.md §7); this is the call-level view of the same question, for a person.
 */

export interface PlainCall {
  /** Ground truth: 0-based list position; predicted: the call's step in the conversation. */
  position: number;
  name: string;
  /** The raw JSON text of the arguments. */
  arguments: string;
  /** Predicted calls: the tool answered with an error during the rollout. */
  failed?: boolean;
}

/** The members of a JSON object text with each value's text as written (so `1.0` stays `1.0`). */
export function objectMembers(raw: string): Map<string, string> | null {
  const bytes = Buffer.from(raw, 'utf8');
  const start = skipWhitespace(bytes, 0, bytes.length);
  if (bytes[start] !== 0x7b) return null;
  const members = new Map<string, string>();
  const end = scanObject(bytes, start, bytes.length, (keyStart, keyEnd, valueStart) => {
    const valueEnd = skipValue(bytes, valueStart, bytes.length);
    if (valueEnd < 0) return MALFORMED;
    const key = JSON.parse(bytes.toString('utf8', keyStart - 1, keyEnd + 1)) as string;
    members.set(key, bytes.toString('utf8', valueStart, valueEnd));
    return valueEnd;
  });
  if (end < 0 || skipWhitespace(bytes, end, bytes.length) !== bytes.length) return null;
  return members;
}

function parseValue(text: string): unknown {
  const parsed = parseJsonLenient(text);
  return parsed.ok ? parsed.value : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Canonical text of a value: object keys sorted, so key order does not count as a difference. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const SEGMENT_CHAR_DIFF_MAX = 40;
const SEGMENT_DIFF_MAX = 20_000;

/** Word-level differences; character-level for two short single tokens (ids, dates), where words say nothing. */
export function textSegments(expected: string, predicted: string): DiffSegment[] | null {
  if (expected.length + predicted.length > SEGMENT_DIFF_MAX) return null;
  const tokens = expected.length + predicted.length <= SEGMENT_CHAR_DIFF_MAX && !/\s/.test(expected) && !/\s/.test(predicted);
  const changes = tokens ? diffChars(expected, predicted) : diffWordsWithSpace(expected, predicted);
  return changes.map((change) => ({ op: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));
}

/** What a person reads for a value: a string's own text (line breaks, no escapes or quotes), else its JSON. */
function readable(text: string): string {
  const value = parseValue(text);
  return typeof value === 'string' ? value : text;
}

function compareValues(expectedText: string, predictedText: string): { status: ArgumentStatus; segments: DiffSegment[] | null } {
  const expected = parseValue(expectedText);
  const predicted = parseValue(predictedText);
  if (typeof expected === 'string' && typeof predicted === 'string') {
    if (expected === predicted) return { status: 'same', segments: null };
    // The strings' own text, not their JSON: escapes like \n would otherwise show (twice escaped, for a value
    // that already holds a backslash).
    const segments = textSegments(expected, predicted);
    return { status: expected.toLowerCase() === predicted.toLowerCase() ? 'case' : 'differs', segments };
  }
  if (canonical(expected) === canonical(predicted)) return { status: 'same', segments: null };
  if (typeName(expected) !== typeName(predicted)) return { status: 'type', segments: null };
  return { status: 'differs', segments: textSegments(expectedText, predictedText) };
}

/** Argument-by-argument comparison of two argument texts (JSON objects). */
export function diffArguments(expectedRaw: string, predictedRaw: string): ArgumentDiff[] {
  const expected = objectMembers(expectedRaw);
  const predicted = objectMembers(predictedRaw);
  if (expected === null || predicted === null) {
    const same = expectedRaw.trim() === predictedRaw.trim();
    return [
      {
        name: '(arguments)',
        status: same ? 'same' : 'differs',
        expected: expectedRaw,
        predicted: predictedRaw,
        expectedText: expectedRaw,
        predictedText: predictedRaw,
        segments: same ? null : textSegments(expectedRaw, predictedRaw),
      },
    ];
  }
  const diffs: ArgumentDiff[] = [];
  for (const [name, expectedText] of expected) {
    const predictedText = predicted.get(name);
    if (predictedText === undefined) {
      diffs.push({ name, status: 'missing', expected: expectedText, predicted: null, expectedText: readable(expectedText), predictedText: null, segments: null });
      continue;
    }
    diffs.push({ name, ...compareValues(expectedText, predictedText), expected: expectedText, predicted: predictedText, expectedText: readable(expectedText), predictedText: readable(predictedText) });
  }
  for (const [name, predictedText] of predicted) {
    if (!expected.has(name)) diffs.push({ name, status: 'extra', expected: null, predicted: predictedText, expectedText: null, predictedText: readable(predictedText), segments: null });
  }
  return diffs;
}

/** Differences that change what the verifier sees (letter case mostly does not: it lower-cases most columns). */
function significant(diffs: readonly ArgumentDiff[]): ArgumentDiff[] {
  return diffs.filter((d) => d.status !== 'same' && d.status !== 'case');
}

/** 0 for equivalent calls, up to 1 for the same tool with entirely different arguments. */
function pairingCost(expected: PlainCall, predicted: PlainCall): number {
  if (expected.name !== predicted.name) return Number.POSITIVE_INFINITY;
  const diffs = diffArguments(expected.arguments, predicted.arguments);
  const bad = significant(diffs).length;
  return bad === 0 ? 0 : 0.5 + (0.5 * bad) / Math.max(1, diffs.length);
}

const GAP_COST = 1;

function summary(call: PlainCall): CallSummary {
  const formatted = formatJson(call.arguments);
  return { position: call.position, name: call.name, arguments: { text: formatted.text, json: formatted.valid } };
}

function predictedNotes(call: PlainCall): string[] {
  const notes: string[] = [];
  const members = objectMembers(call.arguments);
  if (members === null) notes.push('The arguments are not a JSON object: the verifier skips this call.');
  else if ([...members.values()].some((v) => v.trim() === 'null'))
    notes.push('Null arguments are passed as None when the verifier replays the call (they are not dropped).');
  if (call.failed) notes.push('The tool reported an error during the rollout; the verifier replays the call anyway.');
  return notes;
}

/** Aligns expected and predicted calls keeping both orders (an edit-distance alignment). */
export function alignCalls(expected: readonly PlainCall[], predicted: readonly PlainCall[]): AlignedCall[] {
  const m = expected.length;
  const n = predicted.length;
  const pairCost: number[][] = expected.map((e) => predicted.map((p) => pairingCost(e, p)));
  // cost[i][j]: best cost aligning expected[i..] with predicted[j..]
  const cost: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m; i >= 0; i--) {
    for (let j = n; j >= 0; j--) {
      if (i === m && j === n) continue;
      let best = Number.POSITIVE_INFINITY;
      if (i < m && j < n) best = Math.min(best, (pairCost[i]?.[j] ?? Infinity) + (cost[i + 1]?.[j + 1] ?? 0));
      if (i < m) best = Math.min(best, GAP_COST + (cost[i + 1]?.[j] ?? 0));
      if (j < n) best = Math.min(best, GAP_COST + (cost[i]?.[j + 1] ?? 0));
      (cost[i] as number[])[j] = best;
    }
  }
  const rows: AlignedCall[] = [];
  let i = 0;
  let j = 0;
  const at = (a: number, b: number) => cost[a]?.[b] ?? 0;
  while (i < m || j < n) {
    const e = expected[i];
    const p = predicted[j];
    const here = at(i, j);
    if (e && p && Math.abs(here - ((pairCost[i]?.[j] ?? Infinity) + at(i + 1, j + 1))) < 1e-9) {
      const args = diffArguments(e.arguments, p.arguments);
      const notes = predictedNotes(p);
      if (args.some((a) => a.status === 'case'))
        notes.push('Letter case differs: the verifier ignores case except in the status, list_name and board columns.');
      rows.push({ status: significant(args).length ? 'differs' : 'match', expected: summary(e), predicted: summary(p), arguments: args, notes });
      i++;
      j++;
    } else if (e && Math.abs(here - (GAP_COST + at(i + 1, j))) < 1e-9) {
      rows.push({ status: 'missing', expected: summary(e), predicted: null, arguments: [], notes: [] });
      i++;
    } else if (p) {
      rows.push({ status: 'extra', expected: null, predicted: summary(p), arguments: [], notes: predictedNotes(p) });
      j++;
    } else {
      break;
    }
  }
  noteMovedCalls(rows);
  return rows;
}

/** A missing call that was made elsewhere in the sequence: the order is what differs. */
function noteMovedCalls(rows: AlignedCall[]): void {
  const extras = rows.filter((r) => r.status === 'extra' && r.predicted);
  for (const row of rows) {
    if (row.status !== 'missing' || !row.expected) continue;
    const expectedCall = row.expected;
    const twin = extras.find(
      (r) =>
        r.predicted?.name === expectedCall.name &&
        significant(diffArguments(expectedCall.arguments.text, r.predicted.arguments.text)).length === 0,
    );
    if (!twin?.predicted) continue;
    row.notes.push(`Made at step ${twin.predicted.position} instead, in a different order. Row order and labels matter to the verifier.`);
    twin.notes.push(`Expected as call ${expectedCall.position + 1} of the ground truth, in a different order.`);
  }
}

/** One sentence summing the alignment up. */
export function alignmentVerdict(rows: readonly AlignedCall[]): string {
  const count = (status: AlignedCall['status']) => rows.filter((r) => r.status === status).length;
  const expected = rows.filter((r) => r.expected).length;
  const predicted = rows.filter((r) => r.predicted).length;
  if (expected === 0 && predicted === 0) return 'No state changes expected, and none made.';
  if (expected === 0) return `No state changes expected, but the rollout made ${plural(predicted, 'state-changing call')}.`;
  const parts: string[] = [];
  const matched = count('match');
  if (matched === expected && predicted === expected)
    return expected === 1 ? 'The expected call was made as expected.' : `All ${expected} expected calls were made as expected.`;
  parts.push(`${matched} of ${plural(expected, 'expected call')} matched`);
  if (count('differs')) parts.push(`${count('differs')} with different arguments`);
  if (count('missing')) parts.push(`${count('missing')} missing`);
  if (count('extra')) parts.push(plural(count('extra'), 'extra call'));
  return `${parts.join(', ')}.`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
