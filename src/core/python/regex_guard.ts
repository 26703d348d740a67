/**
 * Regular expressions the model wrote, run so that none can freeze the process (every server shares its event
 * loop). A search whose worst case (regex_cost.ts) is small runs inline, synchronously, exactly as before; the
 * backtracking matcher additionally counts its steps, and hands over to a worker past its budget. Every other
 * search runs in a worker thread under a watchdog (watchdog_pool.ts): past the time limit (the CPU time of its own
 * thread, so that other sessions' load does not decide it) the worker is terminated and the search raises
 * TimeoutError — a documented deviation, since NeMo Gym would hang. Searches waiting for a worker take turns by
 * caller (`forCaller`), so that no session's searches can hold up another's for long.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { MaybePromise } from '../maybe_promise';
import { JobTimeoutError, PoolClosedError, WatchdogPool, WorkerFailedError } from '../workers/watchdog_pool';
import { subjectError, type PyRegex, type RegexMode } from './regex';
import { worstCaseSteps } from './regex_cost';
import { StepBudgetExceeded } from './regex_engine';
import { unpackRegexJobResult, type RegexJob, type RegexJobResult } from './regex_job';
import { pyFloatRepr, pyStrRepr } from './repr';
import { PyException, type PyValue } from './value';

/** Where the worker script is, when not given: this variable, else `regex_worker.js` beside this bundle. */
export const REGEX_WORKER_ENV = 'GYM_ROLLOUTS_REGEX_WORKER';

export const DEFAULT_REGEX_TIME_LIMIT_MS = 1000;
/** Worst-case steps (regex_cost.ts) a search may take inline: a few milliseconds in V8 at worst. */
export const DEFAULT_INLINE_STEP_LIMIT = 10_000_000;
/**
 * Worst-case steps V8 gets through in a second at the slowest (about 0.5 ns a step measured, halved for slower
 * machines): a search whose bound is above this times the time limit may run until it is stopped.
 */
const WORST_CASE_STEPS_PER_SECOND = 1e9;
/** Steps the backtracking matcher may take inline (about 10 ms) before the search moves to a worker. */
export const DEFAULT_ENGINE_STEP_BUDGET = 500_000;

export interface RegexGuardOptions {
  /** A search that used this much CPU time in its worker is stopped (TimeoutError); see watchdog_pool.ts. */
  timeLimitMs?: number;
  inlineStepLimit?: number;
  engineStepBudget?: number;
  /** Most worker threads (default: the number of cores, at most 8, plus one kept for searches expected to end quickly). */
  maxWorkers?: number;
  workerScript?: string;
}

/*
 * No heap limit on the workers (`resourceLimits`): V8 cannot stop a thread that runs out inside its own C++ (a
 * RegExp being compiled), and then aborts the whole process. Their memory is bounded by their CPU time instead.
 */
const SHOWN_PATTERN_LENGTH = 100;

function shownPattern(pattern: string): string {
  const codePoints = Array.from(pattern);
  return pyStrRepr(codePoints.length > SHOWN_PATTERN_LENGTH ? `${codePoints.slice(0, SHOWN_PATTERN_LENGTH).join('')}…` : pattern);
}

/** `str(e)` of the TimeoutError a stopped search raises (what the model reads after `Error executing tool …: `). */
export function stoppedSearchMessage(pattern: string, timeLimitMs: number): string {
  return `the regular expression ${shownPattern(pattern)} was stopped after ${pyFloatRepr(timeLimitMs / 1000)} s (catastrophic backtracking; NeMo Gym would hang on this call)`;
}

/** The worker script: explicit, else $GYM_ROLLOUTS_REGEX_WORKER, else `regex_worker.js` next to this bundle. */
export function regexWorkerScript(explicit?: string): string {
  return explicit ?? process.env[REGEX_WORKER_ENV] ?? join(__dirname, 'regex_worker.js');
}

/**
 * As many workers for searches that may run until stopped as there are cores (they end by the clock, so fewer
 * would queue hostile calls behind each other, more would take the main thread's share), plus one kept for
 * searches expected to end quickly.
 */
function defaultMaxWorkers(): number {
  return Math.min(8, availableParallelism()) + 1;
}

/** The worker pool of a guard, shared with its views for callers (`forCaller`). */
interface SharedPool {
  pool: WatchdogPool<RegexJob, RegexJobResult> | null;
}

export class RegexGuard {
  readonly timeLimitMs: number;
  private readonly inlineStepLimit: number;
  private readonly engineStepBudget: number;
  private readonly shared: SharedPool;
  private readonly caller: unknown;

  constructor(
    private readonly options: RegexGuardOptions = {},
    view?: { shared: SharedPool; caller: unknown },
  ) {
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_REGEX_TIME_LIMIT_MS;
    this.inlineStepLimit = options.inlineStepLimit ?? DEFAULT_INLINE_STEP_LIMIT;
    this.engineStepBudget = options.engineStepBudget ?? DEFAULT_ENGINE_STEP_BUDGET;
    this.shared = view?.shared ?? { pool: null };
    this.caller = view?.caller;
  }

  /**
   * This guard for one caller (e.g. a session id, compared with `===`): the same workers and limits, but its
   * searches that wait for a worker take turns with other callers' as a whole, so that a session sending search
   * after search delays another session's by at most about one search each time round (watchdog_pool.ts). Searches
   * of the guard itself, with no caller, take turns one by one.
   */
  forCaller(caller: unknown): RegexGuard {
    return new RegexGuard(this.options, { shared: this.shared, caller });
  }

  /**
   * `[regex.search(s) for s in subjects]` (or `match`): an array now when it was cheap, else a promise. The first
   * subject that raises decides the exception, as inline.
   */
  evaluate(regex: PyRegex, subjects: readonly string[], mode: RegexMode): MaybePromise<boolean[]> {
    // Compiled in a worker even with no subject: its compile errors must still be raised, as re.compile would.
    if (regex.spec.executor.kind === 'deferred') return this.offload(regex, subjects, mode, Infinity);
    if (subjects.length === 0) return [];
    const cost = worstCaseSteps(regex.parsed, subjects, mode);
    if (cost <= this.inlineStepLimit) {
      try {
        return regex.evaluate(subjects, mode, this.engineStepBudget);
      } catch (error) {
        if (!(error instanceof StepBudgetExceeded)) throw error;
      }
    }
    return this.offload(regex, subjects, mode, cost);
  }

  /** `regex.search(subject)` / `regex.match(subject)` for any value: a non-str raises Python's TypeError first. */
  evaluateValue(regex: PyRegex, subject: PyValue, mode: RegexMode): MaybePromise<boolean> {
    if (typeof subject !== 'string') throw subjectError(subject);
    const found = this.evaluate(regex, [subject], mode);
    return found instanceof Promise ? found.then((matches) => matches[0] === true) : found[0] === true;
  }

  /**
   * Stops the worker threads (shared with the views of `forCaller`); searches in flight fail. The guard can be used
   * again (workers start anew).
   */
  async close(): Promise<void> {
    const pool = this.shared.pool;
    this.shared.pool = null;
    await pool?.close();
  }

  private workerPool(): WatchdogPool<RegexJob, RegexJobResult> {
    if (this.shared.pool !== null) return this.shared.pool;
    const script = regexWorkerScript(this.options.workerScript);
    if (!existsSync(script)) {
      throw new Error(`the regex worker script ${script} is missing (build it with \`npm run build\`, or set ${REGEX_WORKER_ENV})`);
    }
    const maxWorkers = this.options.maxWorkers ?? defaultMaxWorkers();
    this.shared.pool = new WatchdogPool<RegexJob, RegexJobResult>({
      script,
      maxWorkers,
      // One worker stays free for searches that should end quickly, whatever the hostile ones do.
      reservedForShortJobs: maxWorkers > 1 ? 1 : 0,
      longJobPriority: (this.timeLimitMs / 1000) * WORST_CASE_STEPS_PER_SECOND,
      minIdleWorkers: 1,
      idleTimeoutMs: 30_000,
    });
    return this.shared.pool;
  }

  private offload(regex: PyRegex, subjects: readonly string[], mode: RegexMode, cost: number): Promise<boolean[]> {
    const shown = shownPattern(regex.pattern);
    let pool: WatchdogPool<RegexJob, RegexJobResult>;
    try {
      pool = this.workerPool();
    } catch (error) {
      return Promise.reject(new PyException('RuntimeError', `the regular expression ${shown} could not be evaluated: ${(error as Error).message}`));
    }
    return pool.run({ spec: regex.spec, mode, subjects }, { timeLimitMs: this.timeLimitMs, priority: cost, caller: this.caller }).then(unpackRegexJobResult, (error: unknown) => {
      if (error instanceof JobTimeoutError) throw new PyException('TimeoutError', stoppedSearchMessage(regex.pattern, this.timeLimitMs));
      if (error instanceof WorkerFailedError) {
        if (error.outOfMemory) throw new PyException('MemoryError', `the regular expression ${shown} ran out of memory`);
        throw new PyException('RuntimeError', `the regular expression ${shown} could not be evaluated: ${error.message}`);
      }
      if (error instanceof PoolClosedError) throw new PyException('RuntimeError', `the regular expression ${shown} was not evaluated: the server is shutting down`);
      throw error;
    });
  }
}

let processGuard: RegexGuard | null = null;

/** The guard of code that was given none (a session or a verification outside a resources server). */
export function defaultRegexGuard(): RegexGuard {
  processGuard ??= new RegexGuard();
  return processGuard;
}
