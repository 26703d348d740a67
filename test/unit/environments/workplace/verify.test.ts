import { beforeAll, describe, expect, test } from 'vitest';
import { predictedCallsFromResponse, type FunctionCall, type WorkplaceEnvironment } from '../../../../src/core/environments/workplace';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { isPyDict } from '../../../../src/core/python/value';
import { RewardExplanation } from '../../../../src/core/schema/reward_explanation';
import { fixturePath, parseJsonLines, readJsonLines, readWorkbenchTasks, workplaceEnvironment } from './shared_data';
import { answeredNow } from '../../../support/answered_now';

interface VerifyCase {
  name: string;
  predicted: Array<FunctionCall & { type?: string }>;
  ground_truth: FunctionCall[] | string;
  reward: number;
}

interface TaskRow {
  id: number;
  ground_truth: FunctionCall[] | string;
  category: string;
}

interface RecordedRollout {
  response: { output: Array<Record<string, unknown>> };
  reward: number;
}

const verifyCases = readJsonLines<VerifyCase>(fixturePath('golden/verify_cases.jsonl'));
const exampleTasks = readJsonLines<TaskRow>(fixturePath('workplace_assistant/example.jsonl'));
const workbenchTasks = parseJsonLines<TaskRow>(readWorkbenchTasks());
const recordedRollouts = readJsonLines<RecordedRollout>(fixturePath('workplace_assistant/example_rollouts.jsonl'));
const recordedRolloutTasks = readJsonLines<TaskRow>(fixturePath('workplace_assistant/example_rollouts_tasks.jsonl'));

/** The predicted list of a case holds response items; only `function_call` ones (or untyped ones) are actions. */
function predictedActions(items: VerifyCase['predicted']): FunctionCall[] {
  return items.filter((item) => item.type === undefined || item.type === 'function_call').map(({ name, arguments: args }) => ({ name, arguments: args }));
}

let env: WorkplaceEnvironment;
beforeAll(async () => {
  env = await workplaceEnvironment();
});

describe('golden/verify_cases.jsonl', () => {
  test.each(verifyCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await env.verify(predictedActions(c.predicted), c.ground_truth);
    expect(result.reward).toBe(c.reward);
    expect(RewardExplanation.parse(result.explanation)).toEqual(result.explanation);
    expect(result.explanation.tables.length === 0).toBe(c.reward === 1);
  });
});

describe('ground truths verified against themselves', () => {
  const rows = [...exampleTasks.map((t) => ['example', t] as const), ...workbenchTasks.map((t) => ['workbench', t] as const)];

  test(`every ground truth of example.jsonl (${exampleTasks.length}) and workbench tasks (${workbenchTasks.length}) gives 1`, () => {
    const failures = rows.filter(([, task]) => answeredNow(env.verify(typeof task.ground_truth === 'string' ? [] : task.ground_truth, task.ground_truth)).reward !== 1);
    expect(failures.map(([source, task]) => `${source} ${task.id}`)).toEqual([]);
  });

  test('no predicted calls give 0 wherever the ground truth changes something', () => {
    let changing = 0;
    for (const [source, task] of rows) {
      if (typeof task.ground_truth === 'string') continue;
      const pristine = answeredNow(env.verify([], []));
      expect(pristine.reward).toBe(1);
      const result = answeredNow(env.verify([], task.ground_truth));
      // A ground truth changes something iff its own end state differs from the initial state.
      const changes = answeredNow(env.verify(task.ground_truth, [])).reward === 0;
      if (changes) changing++;
      expect({ source, id: task.id, reward: result.reward }).toEqual({ source, id: task.id, reward: changes ? 0 : 1 });
    }
    // WorkBench has 122 tasks with an empty ground truth; nearly all others change state.
    expect(changing).toBeGreaterThan(500);
  });
});

describe('example_rollouts.jsonl', () => {
  test('the 8 recorded tool outputs are reproduced by replaying each rollout in a fresh session', async () => {
    let compared = 0;
    for (const rollout of recordedRollouts) {
      const session = env.newSession();
      const outputsByCallId = new Map<string, string>();
      for (const item of rollout.response.output) {
        if (item.type === 'function_call_output') outputsByCallId.set(item.call_id as string, item.output as string);
      }
      for (const item of rollout.response.output) {
        if (item.type !== 'function_call') continue;
        const body = parsePythonJson(item.arguments as string);
        if (!isPyDict(body)) throw new Error('recorded arguments are not a JSON object');
        const output = await env.callToolRoute(session, item.name as string, body);
        expect(dumpCompact(new Map([['output', output]]))).toBe(outputsByCallId.get(item.call_id as string));
        compared++;
      }
    }
    expect(compared).toBe(8);
  });

  test('the recorded rewards are reproduced with the tasks of example_rollouts_tasks.jsonl', async () => {
    expect(recordedRolloutTasks.length).toBe(recordedRollouts.length);
    for (const [i, rollout] of recordedRollouts.entries()) {
      const task = recordedRolloutTasks[i] as TaskRow;
      const result = await env.verify(predictedCallsFromResponse(rollout.response.output), task.ground_truth);
      expect(result.reward).toBe(rollout.reward);
    }
  });
});
