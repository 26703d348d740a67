import { andThen, type MaybePromise } from '../../maybe_promise';
import { parsePythonJson } from '../../python/json_parse';
import type { RegexGuard } from '../../python/regex_guard';
import { pyRepr, pyTypeName } from '../../python/repr';
import { PyException, isPyDict } from '../../python/value';
import type { RewardExplanation } from '../../schema/reward_explanation';
import { tablesEquivalent } from './compare';
import { explainReward, type SkippedCall } from './explain';
import { asPythonException, invokeTool } from './invoke';
import { COMPARED_TABLES, WorkplaceSession, type ComparedTableName } from './session';
import type { WorkplaceTables } from './tables';
import { WORKPLACE_TOOLS } from './tools';

/** A function call as the verifier reads it: the tool name and the raw JSON text of the arguments. */
export interface FunctionCall {
  name: string;
  arguments: string;
}

export interface VerifyResult {
  reward: number;
  explanation: RewardExplanation;
}

export interface ReplayResult {
  session: WorkplaceSession;
  skipped: SkippedCall[];
}

/**
 * A replay runs this many calls without a pause, so a rollout of ordinary length is replayed and answered at once
 * (no promise). Its tables can then hold at most this many rows more than the base tables, so these calls are cheap.
 */
const CALLS_BEFORE_FIRST_PAUSE = 256;
/** Past those, a replay lets the event loop run other sessions' work every this many calls… */
const CALLS_PER_SLICE = 256;
/** …or as soon as this long has passed since its last pause, whichever comes first. */
const SLICE_MILLISECONDS = 10;

function pause(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Runs `step` for each call in order, like a synchronous loop while every step is; a step that answers with a promise
 * is waited for before the next. A long replay pauses now and then (see above) so the process's other sessions are
 * not stalled behind it: the replay works on its own fresh session, so when it runs changes nothing in its result.
 */
function forEachCallWithPauses(calls: readonly FunctionCall[], step: (call: FunctionCall, index: number) => MaybePromise<void>): MaybePromise<void> {
  let sliceStarted = 0;
  let callsInSlice = 0;
  const from = (start: number): MaybePromise<void> => {
    for (let index = start; index < calls.length; index++) {
      if (index >= CALLS_BEFORE_FIRST_PAUSE) {
        if (callsInSlice === 0) sliceStarted = performance.now();
        else if (callsInSlice >= CALLS_PER_SLICE || performance.now() - sliceStarted >= SLICE_MILLISECONDS) {
          callsInSlice = 0;
          return pause().then(() => from(index));
        }
        callsInSlice++;
      }
      const done = step(calls[index] as FunctionCall, index);
      if (done instanceof Promise) return done.then(() => from(index + 1));
    }
    return undefined;
  };
  return from(0);
}

/**
 * `execute_actions_and_reset_state` (§7.3): a fresh environment, then `functions[name](**json.loads(arguments))` for
 * each call, swallowing every exception (the call is skipped). Unlike the route, `null` arguments are passed on.
 * The calls run in order; the result is a promise if one of them had to wait for a regular expression run in a
 * worker thread (a search stopped there is skipped like any call that raised), or if the replay was long enough to
 * pause for the event loop (more than `CALLS_BEFORE_FIRST_PAUSE` calls).
 */
export function replayCalls(
  base: WorkplaceTables,
  calls: readonly FunctionCall[],
  maxStateBytes: number | null = null,
  regexGuard?: RegexGuard,
): MaybePromise<ReplayResult> {
  const session = new WorkplaceSession(base, maxStateBytes, regexGuard);
  const skipped: SkippedCall[] = [];
  const skip = (index: number, name: string, error: unknown) => {
    const exception = asPythonException(error);
    skipped.push({ index, name, reason: `${exception.type}: ${exception.message}` });
  };
  const replayed = forEachCallWithPauses(calls, (call, index): MaybePromise<void> => {
    try {
      const tool = WORKPLACE_TOOLS.get(call.name);
      if (tool === undefined) throw new PyException('KeyError', pyRepr(call.name));
      const kwargs = parsePythonJson(call.arguments);
      if (!isPyDict(kwargs)) {
        throw new PyException('TypeError', `${tool.qualifiedName}() argument after ** must be a mapping, not ${pyTypeName(kwargs)}`);
      }
      const output = invokeTool(session, tool, kwargs);
      if (output instanceof Promise) return output.then(() => undefined, (error: unknown) => void skip(index, call.name, error));
    } catch (error) {
      skip(index, call.name, error);
    }
    return undefined;
  });
  return andThen(replayed, () => ({ session, skipped }));
}

/**
 * NeMo Gym's `/verify` reward (§7): replay the predicted calls and the ground truth on fresh state and compare the
 * five tables after the verifier's lower-casing. A ground truth given as a string replays nothing, so the expected
 * state is the pristine one. Returns the reward (1 or 0) and why (a promise only if a replay had to wait or pause).
 */
export function verifyRollout(
  base: WorkplaceTables,
  predicted: readonly FunctionCall[],
  groundTruth: readonly FunctionCall[] | string,
  maxStateBytes: number | null = null,
  regexGuard?: RegexGuard,
): MaybePromise<VerifyResult> {
  // The predicted calls replay under the session limit the rollout ran under, so a write the model was refused
  // is skipped here too.
  return andThen(replayCalls(base, predicted, maxStateBytes, regexGuard), (predictedReplay) =>
    andThen(typeof groundTruth === 'string' ? { session: new WorkplaceSession(base, null, regexGuard), skipped: [] } : replayCalls(base, groundTruth, null, regexGuard), (expectedReplay) => {
      const differing: ComparedTableName[] = COMPARED_TABLES.filter(
        (table) => !tablesEquivalent(predictedReplay.session.comparedTable(table), expectedReplay.session.comparedTable(table)),
      );
      const reward = differing.length === 0 ? 1 : 0;
      const explanation = explainReward({
        reward,
        differing,
        predicted: predictedReplay,
        expected: expectedReplay,
        predictedCallCount: predicted.length,
        groundTruthIsString: typeof groundTruth === 'string',
      });
      return { reward, explanation };
    }),
  );
}

/** The predicted actions of a response: its `function_call` output items, in order (§7.2). */
export function predictedCallsFromResponse(responseOutput: readonly unknown[]): FunctionCall[] {
  const calls: FunctionCall[] = [];
  for (const item of responseOutput) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, name, arguments: args } = item as { type?: unknown; name?: unknown; arguments?: unknown };
    if (type === 'function_call' && typeof name === 'string' && typeof args === 'string') calls.push({ name, arguments: args });
  }
  return calls;
}
