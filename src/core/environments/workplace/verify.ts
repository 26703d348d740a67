import { parsePythonJson } from '../../python/json_parse';
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
 */
export function replayCalls(base: WorkplaceTables, calls: readonly FunctionCall[], maxStateBytes: number | null = null): ReplayResult {
  const session = new WorkplaceSession(base, maxStateBytes);
  const skipped: SkippedCall[] = [];
  calls.forEach((call, index) => {
    try {
      const tool = WORKPLACE_TOOLS.get(call.name);
      if (tool === undefined) throw new PyException('KeyError', pyRepr(call.name));
      const kwargs = parsePythonJson(call.arguments);
      if (!isPyDict(kwargs)) {
        throw new PyException('TypeError', `${tool.qualifiedName}() argument after ** must be a mapping, not ${pyTypeName(kwargs)}`);
      }
      invokeTool(session, tool, kwargs);
    } catch (error) {
      const exception = asPythonException(error);
      skipped.push({ index, name: call.name, reason: `${exception.type}: ${exception.message}` });
    }
  });
  return { session, skipped };
}

/**
 * NeMo Gym's `/verify` reward (§7): replay the predicted calls and the ground truth on fresh state and compare the
 * five tables after the verifier's lower-casing. A ground truth given as a string replays nothing, so the expected
 * state is the pristine one. Returns the reward (1 or 0) and why.
 */
export function verifyRollout(
  base: WorkplaceTables,
  predicted: readonly FunctionCall[],
  groundTruth: readonly FunctionCall[] | string,
  maxStateBytes: number | null = null,
): VerifyResult {
  // The predicted calls replay under the session limit the rollout ran under, so a write the model was refused
  // is skipped here too.
  const predictedReplay = replayCalls(base, predicted, maxStateBytes);
  const expectedReplay = typeof groundTruth === 'string' ? { session: new WorkplaceSession(base), skipped: [] } : replayCalls(base, groundTruth);
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
