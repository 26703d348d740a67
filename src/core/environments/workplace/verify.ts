import { andThen, foldInOrder, type MaybePromise } from '../../maybe_promise';
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
 * `execute_actions_and_reset_state` (§7.3): a fresh environment, then `functions[name](**json.loads(arguments))` for
 * each call, swallowing every exception (the call is skipped). Unlike the route, `null` arguments are passed on.
 * The calls run in order; the result is a promise only if one of them had to wait for a regular expression run in
 * a worker thread (a search stopped there is skipped like any call that raised).
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
  const replayed = foldInOrder(calls, undefined, (_, call, index): MaybePromise<undefined> => {
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
 * state is the pristine one. Returns the reward (1 or 0) and why (a promise only if a replay had to wait).
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
