import { beforeAll, describe, expect, test } from 'vitest';
import { dumpCompact, dumpPythonDefault } from '../../../src/core/python/json_dump';
import { parsePythonJson, reprException } from '../../../src/core/python/json_parse';
import { isPyDict, PyException, type PyValue } from '../../../src/core/python/value';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../../src/core/environments/workplace';
import { fixturePath, readJsonLines, workplaceEnvironment } from './shared_data';

interface GoldenSession {
  calls: Array<{ name: string; arguments: string }>;
  outputs: string[];
}

const sessions = readJsonLines<GoldenSession>(fixturePath('golden/tool_calls.jsonl'));

/**
 * Calls the lead tests over HTTP instead: the body is refused before any tool runs (JSON that is not an object →
 * 422; a name with `/` or an empty name → 404). `seed_session` is handled here by `session.reset()`.
 */
function isHttpLevel(name: string, args: PyValue): boolean {
  return name === '' || name.includes('/') || !isPyDict(args);
}

type Outcome = { kind: 'output'; text: string } | { kind: 'http-level' };

/** What the model sees for one call, the way the agent and the tool route produce it. */
function runCall(env: WorkplaceEnvironment, session: WorkplaceSession, name: string, argumentsText: string): Outcome {
  if (name === 'seed_session') {
    session.reset();
    return { kind: 'output', text: '{}' };
  }
  let args: PyValue;
  try {
    args = parsePythonJson(argumentsText);
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return { kind: 'output', text: dumpPythonDefault(new Map([['error', `Invalid tool call arguments: ${reprException(error)}`]])) };
  }
  if (isHttpLevel(name, args) || !isPyDict(args)) return { kind: 'http-level' };
  return { kind: 'output', text: dumpCompact(new Map([['output', env.callToolRoute(session, name, args)]])) };
}

describe('golden/tool_calls.jsonl, every session in-process', () => {
  let env: WorkplaceEnvironment;
  beforeAll(async () => {
    env = await workplaceEnvironment();
  });

  const totals = { compared: 0, httpLevel: 0 };

  test.each(sessions.map((session, index) => [index, session] as const))('session line %i', (_index, golden) => {
    const session = env.newSession();
    const mismatches: Array<{ call: number; name: string; arguments: string; expected: string; actual: string }> = [];
    golden.calls.forEach((call, i) => {
      const outcome = runCall(env, session, call.name, call.arguments);
      if (outcome.kind === 'http-level') {
        totals.httpLevel++;
        return;
      }
      totals.compared++;
      const expected = golden.outputs[i] as string;
      if (outcome.text !== expected) mismatches.push({ call: i, name: call.name, arguments: call.arguments, expected, actual: outcome.text });
    });
    expect(mismatches).toEqual([]);
  });

  test('covers every call but the HTTP-level ones', () => {
    const allCalls = sessions.reduce((sum, session) => sum + session.calls.length, 0);
    expect(totals.compared + totals.httpLevel).toBe(allCalls);
    // 4 bodies that are not JSON objects (422) and one name with a slash (404).
    expect(totals.httpLevel).toBe(5);
  });
});
