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
 * Compiled patterns are cached (LRU, bounded by count and by total pattern length; long patterns are not cached),
 * since the tools compile the same pattern for every row.
 *
 * `search` and `match` run unguarded; the tools go through regex_guard.ts, which runs a search inline only when
 * its worst case (regex_cost.ts) is small, and otherwise in a worker thread that can be stopped.
 */
import { FLAG_IGNORECASE, parsePattern, plen, type ParsedPattern } from './regex_parse';
import { translateToJs } from './regex_js';
import { BacktrackingMatcher } from './regex_engine';
import { patternCost } from './regex_cost';
import { pyTypeName } from './repr';
import { PyException, isPyDict, type PyValue } from './value';

/** How a compiled pattern is executed: a JS RegExp source (`v` flag), or the backtracking matcher. */
/** `deferred`: not compiled yet; compiled where it runs (see DeferredRegex). */
export type RegexExecutor = { kind: 'js'; source: string } | { kind: 'engine' } | { kind: 'deferred' };

/** Everything needed to rebuild a compiled pattern elsewhere (in a worker thread). */
export interface RegexSpec {
  pattern: string;
  flags: number;
  executor: RegexExecutor;
}

export type RegexMode = 'search' | 'match';

export interface PyRegex {
  readonly pattern: string;
  readonly flags: number;
  readonly parsed: ParsedPattern;
  readonly spec: RegexSpec;
  /** Python `re.search(pattern, text) is not None`. */
  search(text: string): boolean;
  /** Python `re.match(pattern, text) is not None` (anchored at the start only). */
  match(text: string): boolean;
  /** `search` for any value: a non-str subject raises Python's TypeError. */
  searchValue(subject: PyValue): boolean;
  /** `match` for any value: a non-str subject raises Python's TypeError. */
  matchValue(subject: PyValue): boolean;
  /**
   * `search` or `match` on each subject, in order (the first exception propagates). The backtracking matcher
   * throws StepBudgetExceeded past `stepBudget` steps in all; a JS RegExp cannot be interrupted and ignores it.
   */
  evaluate(subjects: readonly string[], mode: RegexMode, stepBudget: number): boolean[];
}

/** Python's TypeError for searching something that is not a str. */
export function subjectError(subject: PyValue): PyException {
  return new PyException('TypeError', `expected string or bytes-like object, got '${pyTypeName(subject)}'`);
}

abstract class CompiledRegex implements PyRegex {
  constructor(
    readonly pattern: string,
    readonly flags: number,
    readonly parsed: ParsedPattern,
  ) {}

  abstract readonly spec: RegexSpec;
  protected abstract searchUnchecked(text: string): boolean;
  protected abstract matchUnchecked(text: string): boolean;
  private leastLength: number | null = null;

  search(text: string): boolean {
    return !this.tooShort(text) && this.searchUnchecked(text);
  }

  match(text: string): boolean {
    return !this.tooShort(text) && this.matchUnchecked(text);
  }

  /**
   * CPython's `_sre` turns down a subject shorter (in code points) than the pattern's least width before trying
   * anything (the INFO block `_compile_info` writes): `^((.)+)+#yyyy` on a short subject is no match at once,
   * however catastrophic the pattern is on longer ones.
   */
  private tooShort(text: string): boolean {
    this.leastLength ??= Number(this.parsed.root.getwidth()[0]);
    const least = this.leastLength;
    if (least === 0 || text.length >= 2 * least) return false;
    if (text.length < least) return true;
    return plen(text) < least;
  }

  searchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.search(subject);
  }

  matchValue(subject: PyValue): boolean {
    if (typeof subject !== 'string') throw subjectError(subject);
    return this.match(subject);
  }

  evaluate(subjects: readonly string[], mode: RegexMode, _stepBudget: number): boolean[] {
    return mode === 'search' ? subjects.map((s) => this.search(s)) : subjects.map((s) => this.match(s));
  }
}

/**
 * V8 quirk: in `u`/`v` mode a search may try a start position inside a surrogate pair, where look-arounds
 * see no character on either side (e.g. /(?![\s\S])/v finds a match at index 1 of "😀"). Python has no such
 * positions, so for subjects containing a surrogate pair the search runs as `^[\s\S]*?(?:…)`, which only
 * starts the pattern at code point boundaries.
 */
const HAS_SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/;

class JsRegex extends CompiledRegex {
  private sticky: RegExp | null = null;
  private guarded: RegExp | null = null;
  readonly spec: RegexSpec;

  constructor(
    pattern: string,
    flags: number,
    parsed: ParsedPattern,
    private readonly re: RegExp,
  ) {
    super(pattern, flags, parsed);
    this.spec = { pattern, flags, executor: { kind: 'js', source: re.source } };
  }

  protected searchUnchecked(text: string): boolean {
    if (!HAS_SURROGATE_PAIR.test(text)) return this.re.test(text);
    if (this.guarded === null) this.guarded = new RegExp(`^[\\s\\S]*?(?:${this.re.source})`, this.re.flags);
    return this.guarded.test(text);
  }

  protected matchUnchecked(text: string): boolean {
    if (this.sticky === null) this.sticky = new RegExp(this.re.source, `${this.re.flags}y`);
    this.sticky.lastIndex = 0;
    return this.sticky.test(text);
  }
}

class EngineRegex extends CompiledRegex {
  readonly spec: RegexSpec;

  constructor(
    pattern: string,
    flags: number,
    parsed: ParsedPattern,
    private readonly engine: BacktrackingMatcher,
  ) {
    super(pattern, flags, parsed);
    this.spec = { pattern, flags, executor: { kind: 'engine' } };
  }

  protected searchUnchecked(text: string): boolean {
    return this.engine.search(text);
  }

  protected matchUnchecked(text: string): boolean {
    return this.engine.match(text);
  }

  override evaluate(subjects: readonly string[], mode: RegexMode, stepBudget: number): boolean[] {
    this.engine.setStepBudget(stepBudget);
    try {
      return super.evaluate(subjects, mode, stepBudget);
    } finally {
      this.engine.setStepBudget(Infinity);
    }
  }
}

/** How a compiled pattern is executed (exposed for tests). */
export function describeCompiledRegex(r: PyRegex): RegexExecutor {
  return r.spec.executor;
}

/** Work below which running the pattern on the empty string is harmless. */
const HARMLESS_EMPTY_SUBJECT_WORK = 100_000;

/**
 * V8 compiles a RegExp on first use, and only then refuses one that is too large: compile it now. Running it on
 * '' does that; a pattern that could backtrack badly even on '' is compiled behind a `(?!)` that fails at once.
 */
function compileNow(re: RegExp, parsed: ParsedPattern): void {
  if (patternCost(parsed, 0).work <= HARMLESS_EMPTY_SUBJECT_WORK) re.test('');
  else new RegExp(`(?!)(?:${re.source})`, re.flags).test('');
}

function build(pattern: string, flags: number): PyRegex {
  const parsed = parsePattern(pattern, flags);
  const source = translateToJs(parsed);
  if (source !== null) {
    try {
      const re = new RegExp(source, 'v');
      compileNow(re, parsed);
      return new JsRegex(pattern, flags, parsed, re);
    } catch {
      // A RegExp the engine refuses (e.g. too large): fall through to the backtracking matcher.
    }
  }
  return new EngineRegex(pattern, flags, parsed, new BacktrackingMatcher(parsed));
}

/**
 * Patterns longer than this (a model can send megabytes) are compiled only where they run: in a worker thread,
 * stopped after its CPU time limit (regex_guard.ts). Their parse tree and V8's compilation take about 100 and 200 bytes per
 * character and seconds of CPU: on the main thread that would stall every session and could exhaust the heap.
 */
export const WORKER_ONLY_PATTERN_LENGTH = 256 * 1024;

/** A pattern over WORKER_ONLY_PATTERN_LENGTH, not compiled yet: its compile errors come from where it runs. */
class DeferredRegex implements PyRegex {
  readonly spec: RegexSpec;
  private compiled: PyRegex | null = null;

  constructor(
    readonly pattern: string,
    readonly flags: number,
  ) {
    this.spec = { pattern, flags, executor: { kind: 'deferred' } };
  }

  /** Used directly rather than through a guard (tests, code outside a resources server): compiled here. */
  private get regex(): PyRegex {
    return (this.compiled ??= build(this.pattern, this.flags));
  }

  get parsed(): ParsedPattern {
    return this.regex.parsed;
  }

  search(text: string): boolean {
    return this.regex.search(text);
  }

  match(text: string): boolean {
    return this.regex.match(text);
  }

  searchValue(subject: PyValue): boolean {
    return this.regex.searchValue(subject);
  }

  matchValue(subject: PyValue): boolean {
    return this.regex.matchValue(subject);
  }

  evaluate(subjects: readonly string[], mode: RegexMode, stepBudget: number): boolean[] {
    return this.regex.evaluate(subjects, mode, stepBudget);
  }
}

/**
 * Rebuilds a compiled pattern from its spec (in a worker thread): the same executor, without the checks and the
 * cache of `compilePythonRegexFlags` (the pattern compiled once already), or compiled here if it was deferred.
 */
export function regexFromSpec(spec: RegexSpec): PyRegex {
  if (spec.executor.kind === 'deferred') return build(spec.pattern, spec.flags);
  const parsed = parsePattern(spec.pattern, spec.flags);
  if (spec.executor.kind === 'js') return new JsRegex(spec.pattern, spec.flags, parsed, new RegExp(spec.executor.source, 'v'));
  return new EngineRegex(spec.pattern, spec.flags, parsed, new BacktrackingMatcher(parsed));
}

/**
 * The cache is bounded by size, not only by count: a compiled pattern keeps its parse tree (about an object per
 * character) and its executor, so a pattern longer than CACHEABLE_PATTERN_LENGTH is not cached at all (it is
 * garbage once the call is over), and the cached patterns add up to at most CACHE_PATTERN_CHARS characters.
 */
const CACHE_SIZE = 256;
export const CACHEABLE_PATTERN_LENGTH = 4096;
const CACHE_PATTERN_CHARS = 256 * 1024;
const cache = new Map<string, PyRegex | PyException>();
let cachedPatternChars = 0;

/** What the compiled-pattern cache holds (for tests): entries, and their patterns' total length. */
export function regexCacheStats(): { entries: number; patternChars: number } {
  return { entries: cache.size, patternChars: cachedPatternChars };
}

/** Empties the compiled-pattern cache (for tests). */
export function clearRegexCache(): void {
  cache.clear();
  cachedPatternChars = 0;
}

function cacheStore(key: string, pattern: string, result: PyRegex | PyException): void {
  if (pattern.length > CACHEABLE_PATTERN_LENGTH) return;
  cache.set(key, result);
  cachedPatternChars += pattern.length;
  while (cache.size > CACHE_SIZE || cachedPatternChars > CACHE_PATTERN_CHARS) {
    const oldest = cache.keys().next().value as string;
    cachedPatternChars -= oldest.length - oldest.indexOf('\u0000') - 1;
    cache.delete(oldest);
  }
}

/** Python `re.compile(pattern, flags)` with `flags` as CPython's integer flags. */
export function compilePythonRegexFlags(pattern: PyValue, flags: number): PyRegex {
  // `re._compile` looks the pattern up in its cache first, so an unhashable pattern fails there.
  if (Array.isArray(pattern) || isPyDict(pattern)) throw new PyException('TypeError', `unhashable type: '${pyTypeName(pattern)}'`);
  if (typeof pattern !== 'string') {
    throw new PyException('TypeError', 'first argument must be string or compiled pattern');
  }
  if (pattern.length > WORKER_ONLY_PATTERN_LENGTH) return new DeferredRegex(pattern, flags);
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
  cacheStore(key, pattern, result);
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
  const parsed = parsePattern(pattern, flags);
  return new EngineRegex(pattern, flags, parsed, new BacktrackingMatcher(parsed));
}
