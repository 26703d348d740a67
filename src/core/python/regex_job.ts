/**
 * A regular-expression job as it travels to a worker thread: the compiled pattern (how to rebuild it), `search`
 * or `match`, and the subjects; back comes a boolean per subject, or the exception the first failing subject
 * raised (as it would have inline).
 */
import { CACHEABLE_PATTERN_LENGTH, regexFromSpec, type PyRegex, type RegexMode, type RegexSpec } from './regex';
import { PyException } from './value';

export interface RegexJob {
  spec: RegexSpec;
  mode: RegexMode;
  subjects: readonly string[];
}

export type RegexJobResult =
  | { kind: 'matches'; matches: boolean[] }
  /** A Python exception (e.g. RecursionError from the backtracking matcher). */
  | { kind: 'exception'; type: string; message: string }
  /** Any other error, by its JavaScript name (a RangeError is V8 running out of stack). */
  | { kind: 'error'; name: string; message: string };

/**
 * The worker's compiled patterns, bounded like the main thread's cache (regex.ts): by count, and by size, since
 * a compiled pattern keeps about an object per character: a long pattern is not kept at all.
 */
const CACHE_SIZE = 64;
const CACHE_KEY_CHARS = 256 * 1024;
const compiled = new Map<string, PyRegex>();
let cachedKeyChars = 0;

/** What the worker's cache holds (for tests): entries, and the total length of their keys (the specs as JSON). */
export function regexJobCacheStats(): { entries: number; keyChars: number } {
  return { entries: compiled.size, keyChars: cachedKeyChars };
}

function compiledFor(spec: RegexSpec): PyRegex {
  if (spec.pattern.length > CACHEABLE_PATTERN_LENGTH) return regexFromSpec(spec);
  const key = JSON.stringify(spec);
  let regex = compiled.get(key);
  if (regex === undefined) {
    regex = regexFromSpec(spec);
    compiled.set(key, regex);
    cachedKeyChars += key.length;
    while (compiled.size > CACHE_SIZE || cachedKeyChars > CACHE_KEY_CHARS) {
      const oldest = compiled.keys().next().value as string;
      cachedKeyChars -= oldest.length;
      compiled.delete(oldest);
    }
  }
  return regex;
}

/** Runs a job to the end, without any step budget (the pool's watchdog bounds it). */
export function runRegexJob(job: RegexJob): RegexJobResult {
  try {
    return { kind: 'matches', matches: compiledFor(job.spec).evaluate(job.subjects, job.mode, Infinity) };
  } catch (error) {
    if (error instanceof PyException) return { kind: 'exception', type: error.type, message: error.message };
    if (error instanceof Error) return { kind: 'error', name: error.name, message: error.message };
    return { kind: 'error', name: 'Error', message: String(error) };
  }
}

/** The result as the caller sees it inline: the matches, or the same exception thrown. */
export function unpackRegexJobResult(result: RegexJobResult): boolean[] {
  switch (result.kind) {
    case 'matches':
      return result.matches;
    case 'exception':
      throw new PyException(result.type, result.message);
    default: {
      const error = result.name === 'RangeError' ? new RangeError(result.message) : new Error(result.message);
      if (result.name !== 'RangeError') error.name = result.name;
      throw error;
    }
  }
}
