import { beforeAll, describe, expect, test } from 'vitest';
import { dumpCompact, dumpPythonDefault } from '../../../../src/core/python/json_dump';
import { parsePythonJson, reprException } from '../../../../src/core/python/json_parse';
import { isPyDict, PyException, type PyDict, type PyValue } from '../../../../src/core/python/value';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../../../src/core/environments/workplace';
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

/** How the lead tests handle one golden call, decided from its name and arguments text alone. */
type CallKind =
  | { kind: 'seed' }
  | { kind: 'invalid-arguments'; output: string }
  | { kind: 'http-level' }
  | { kind: 'tool'; args: PyDict };

function classifyCall(name: string, argumentsText: string): CallKind {
  if (name === 'seed_session') return { kind: 'seed' };
  let args: PyValue;
  try {
    args = parsePythonJson(argumentsText);
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return { kind: 'invalid-arguments', output: dumpPythonDefault(new Map([['error', `Invalid tool call arguments: ${reprException(error)}`]])) };
  }
  if (isHttpLevel(name, args) || !isPyDict(args)) return { kind: 'http-level' };
  return { kind: 'tool', args };
}

/** What the model sees for one call, the way the agent and the tool route produce it; null when HTTP-level. */
async function runCall(env: WorkplaceEnvironment, session: WorkplaceSession, name: string, argumentsText: string): Promise<string | null> {
  const call = classifyCall(name, argumentsText);
  switch (call.kind) {
    case 'seed':
      session.reset();
      return '{}';
    case 'invalid-arguments':
      return call.output;
    case 'http-level':
      return null;
    case 'tool':
      return dumpCompact(new Map([['output', await env.callToolRoute(session, name, call.args)]]));
  }
}

describe('golden/tool_calls.jsonl, every session in-process', () => {
  let env: WorkplaceEnvironment;
  beforeAll(async () => {
    env = await workplaceEnvironment();
  });

  test.each(sessions.map((session, index) => [index, session] as const))('session line %i', async (_index, golden) => {
    const session = env.newSession();
    const mismatches: Array<{ call: number; name: string; arguments: string; expected: string; actual: string }> = [];
    for (const [i, call] of golden.calls.entries()) {
      const actual = await runCall(env, session, call.name, call.arguments);
      if (actual === null) continue;
      const expected = golden.outputs[i] as string;
      if (actual !== expected) mismatches.push({ call: i, name: call.name, arguments: call.arguments, expected, actual });
    }
    expect(mismatches).toEqual([]);
  });

  test('compares every call but the HTTP-level ones, which the lead tests check over HTTP', () => {
    const calls = sessions.flatMap((session) => session.calls);
    expect(sessions.every((session) => session.outputs.length === session.calls.length)).toBe(true);
    const httpLevel = calls.filter((call) => classifyCall(call.name, call.arguments).kind === 'http-level');
    // 4 bodies that are not JSON objects (422) and one name with a slash (404).
    expect(httpLevel).toHaveLength(5);
    expect(httpLevel.filter((call) => call.name.includes('/'))).toHaveLength(1);
    expect(calls.length - httpLevel.length).toBeGreaterThan(100);
  });
});
