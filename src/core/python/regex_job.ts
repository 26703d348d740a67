/**
 * A regular-expression job as it travels to a worker thread: the compiled pattern (how to rebuild it), `search`
 * or `match`, and the subjects; back comes a boolean per subject, or the exception the first failing subject
 * raised (as it would have inline).
 */
import { regexFromSpec, type PyRegex, type RegexMode, type RegexSpec } from './regex';
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

const CACHE_SIZE = 64;
const compiled = new Map<string, PyRegex>();

function compiledFor(spec: RegexSpec): PyRegex {
  const key = JSON.stringify(spec);
  let regex = compiled.get(key);
  if (regex === undefined) {
    regex = regexFromSpec(spec);
    compiled.set(key, regex);
    if (compiled.size > CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
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
