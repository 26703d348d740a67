/**
 * NeMo Gym's `workplace_assistant` environment without HTTP: the five tables, the 27 tools over per-session
 * copy-on-write state, the tool route's output semantics, and verification with an explanation
 * (../shared/spec/WORKPLACE_TOOLS.md). The resources server wraps this in NeMo Gym's routes.
 */
import type { MaybePromise } from '../../maybe_promise';
import type { RegexGuard } from '../../python/regex_guard';
import type { PyDict, PyValue } from '../../python/value';
import { callToolRoute } from './route';
import { WorkplaceSession } from './session';
import { DEFAULT_MAX_SESSION_STATE_BYTES } from './state_budget';
import type { WorkplaceTables } from './tables';
import { WORKPLACE_TOOL_SCHEMAS, type ToolSchema } from './tool_schemas';
import { verifyRollout, type FunctionCall, type VerifyResult } from './verify';

export { loadWorkplaceTables, WorkplaceDataError, COMPANY_DIRECTORY, type WorkplaceTables } from './tables';
export { WorkplaceSession, COMPARED_TABLES, type ComparedTableName } from './session';
export { WORKPLACE_TOOL_SCHEMAS, type ToolSchema } from './tool_schemas';
export { callToolRoute } from './route';
export { verifyRollout, replayCalls, predictedCallsFromResponse, type FunctionCall, type VerifyResult } from './verify';

export interface WorkplaceEnvironment {
  readonly tables: WorkplaceTables;
  /** The 27 schemas in NeMo Gym's order (the `tools` of every task). */
  readonly toolSchemas: readonly ToolSchema[];
  /**
   * A freshly seeded environment (what `/seed_session` stores). Cheap: it shares the base tables until it writes.
   * `session.reset()` gives it fresh state again, which is what `seed_session` on an existing session does.
   * `regexGuard` runs its searches (default: the process-wide one).
   */
  newSession(regexGuard?: RegexGuard): WorkplaceSession;
  /**
   * The value of `{"output": …}` for `POST /<toolName>` with this JSON object body (§2.3); a promise when a
   * regular expression had to run in a worker thread.
   */
  callToolRoute(session: WorkplaceSession, toolName: string, body: PyDict): MaybePromise<PyValue>;
  /** NeMo Gym's reward for these predicted calls against this ground truth, and why (§7). */
  verify(predicted: readonly FunctionCall[], groundTruth: readonly FunctionCall[] | string, regexGuard?: RegexGuard): MaybePromise<VerifyResult>;
}

export interface WorkplaceEnvironmentOptions {
  /** What one session's writes may add to its tables (`max_session_state_mb`); null: no limit. */
  maxSessionStateBytes?: number | null;
}

export function createWorkplaceEnvironment(tables: WorkplaceTables, options: WorkplaceEnvironmentOptions = {}): WorkplaceEnvironment {
  const maxStateBytes = options.maxSessionStateBytes === undefined ? DEFAULT_MAX_SESSION_STATE_BYTES : options.maxSessionStateBytes;
  return {
    tables,
    toolSchemas: WORKPLACE_TOOL_SCHEMAS,
    newSession: (regexGuard) => new WorkplaceSession(tables, maxStateBytes, regexGuard),
    callToolRoute,
    verify: (predicted, groundTruth, regexGuard) => verifyRollout(tables, predicted, groundTruth, maxStateBytes, regexGuard),
  };
}
