/**
 * Python 3.13 `re` for the tools: `re.compile(pattern, flags)` with CPython's errors, then `search` / `match`
 * with Python's semantics, executed by an equivalent JavaScript RegExp (regex_js.ts) or, for the constructs
 * a RegExp cannot express exactly (back-references, conditional groups), by a small backtracking matcher
 * (regex_engine.ts).
 *
 * Errors (PyException):
 * - list or dict pattern → `TypeError("unhashable type: 'list'")` (the pattern cache is looked up first); any other
 *   non-str pattern → `TypeError('first argument must be string or compiled pattern')`;
 * - invalid pattern → `error('<message> at position N')` — `re.error`, whose class is named `PatternError`
 *   in 3.13 (`re.error` is an alias); huge repeat counts → `OverflowError`, conflicting global flags →
 *   `ValueError`; `str(e)` is always the message.
 * Compiled patterns are cached (LRU), since the tools compile the same pattern for every row.
 */
import { FLAG_IGNORECASE, parsePattern } from './regex_parse';
import { translateToJs } from './regex_js';
import { BacktrackingMatcher } from './regex_engine';
import { pyTypeName } from './repr';
import { PyException, isPyDict, type PyValue } from './value';

export interface PyRegex {
  readonly pattern: string;
  /** Python `re.search(pattern, text) is not None`. */
  search(text: string): boolean;
  /** Python `re.match(pattern, text) is not None` (anchored at the start only). */
  match(text: string): boolean;
  /** `search` for any value: a non-str subject raises Python's TypeError. */
  searchValue(subject: PyValue): boolean;
  /** `match` for any value: a non-str subject raises Python's TypeError. */
  matchValue(subject: PyValue): boolean;
}

function subjectError(subject: PyValue): PyException {
  return new PyException('TypeError', `expected string or bytes-like object, got '${pyTypeName(subject)}'`);
}

/**
 * V8 quirk: in `u`/`v` mode a search may try a start position inside a surrogate pair, where look-arounds
 * see no character on either side (e.g. /(?![\s\S])/v finds a match at index 1 of "😀"). Python has no such
 * positions, so for subjects containing a surrogate pair the search runs as `^[\s\S]*?(?:…)`, which only
 * starts the pattern at code point boundaries.
 */
const HAS_SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/;

class JsRegex implements PyRegex {
  private sticky: RegExp | null = null;
  private guarded: RegExp | null = null;

  constructor(
    readonly pattern: string,
    private readonly re: RegExp,
  ) {}

  search(text: string): boolean {
    if (!HAS_SURROGATE_PAIR.test(text)) return this.re.test(text);
    if (this.guarded === null) this.guarded = new RegExp(`^[\\s\\S]*?(?:${this.re.source})`, this.re.flags);
    return this.guarded.test(text);
  }

  match(text: string): boolean {
    if (this.sticky === null) this.sticky = new RegExp(this.re.source, `${this.re.flags}y`);
    this.sticky.lastIndex = 0;
    return this.sticky.test(text);
  }

  searchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.search(subject);
  }

  matchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.match(subject);
  }
}

class EngineRegex implements PyRegex {
  constructor(
    readonly pattern: string,
    private readonly engine: BacktrackingMatcher,
  ) {}

  search(text: string): boolean {
    return this.engine.search(text);
  }

  match(text: string): boolean {
    return this.engine.match(text);
  }

  searchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.search(subject);
  }

  matchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.match(subject);
  }
}

/** How a compiled pattern is executed (exposed for tests). */
export function describeCompiledRegex(r: PyRegex): { kind: 'js'; source: string } | { kind: 'engine' } {
  if (r instanceof JsRegex) return { kind: 'js', source: (r as unknown as { re: RegExp }).re.source };
  return { kind: 'engine' };
}

function build(pattern: string, flags: number): PyRegex {
  const parsed = parsePattern(pattern, flags);
  const source = translateToJs(parsed);
  if (source !== null) {
    try {
      const re = new RegExp(source, 'v');
      // V8 compiles on first use, and only then refuses a pattern that is too large: compile it now.
      re.test('');
      return new JsRegex(pattern, re);
    } catch {
      // A RegExp the engine refuses (e.g. too large): fall through to the backtracking matcher.
    }
  }
  return new EngineRegex(pattern, new BacktrackingMatcher(parsed));
}

const CACHE_SIZE = 256;
const cache = new Map<string, PyRegex | PyException>();

/** Python `re.compile(pattern, flags)` with `flags` as CPython's integer flags. */
export function compilePythonRegexFlags(pattern: PyValue, flags: number): PyRegex {
  // `re._compile` looks the pattern up in its cache first, so an unhashable pattern fails there.
  if (Array.isArray(pattern) || isPyDict(pattern)) throw new PyException('TypeError', `unhashable type: '${pyTypeName(pattern)}'`);
  if (typeof pattern !== 'string') {
    throw new PyException('TypeError', 'first argument must be string or compiled pattern');
  }
  const key = `${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    if (hit instanceof PyException) throw new PyException(hit.type, hit.message);
    return hit;
  }
  let result: PyRegex | PyException;
  try {
    result = build(pattern, flags);
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    result = e;
  }
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  if (result instanceof PyException) throw new PyException(result.type, result.message);
  return result;
}

/**
 * Python `re.compile(pattern, re.IGNORECASE if ignoreCase else 0)` — what pandas `str.contains(pat,
 * case=False)` and the tasks tool's `re.match` use.
 */
export function compilePythonRegex(pattern: PyValue, options: { ignoreCase: boolean }): PyRegex {
  return compilePythonRegexFlags(pattern, options.ignoreCase ? FLAG_IGNORECASE : 0);
}

/**
 * Compile with the backtracking matcher only (no JS RegExp, no cache): used by tests to check both
 * executors against the same Python expectations.
 */
export function compileWithBacktrackingMatcher(pattern: string, flags: number): PyRegex {
  return new EngineRegex(pattern, new BacktrackingMatcher(parsePattern(pattern, flags)));
}
