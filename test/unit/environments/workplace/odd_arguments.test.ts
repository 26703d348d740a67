/**
 * Issue #14: randomized tool calls with odd arguments and raw bodies, each answered by NeMo Gym's own Python server
 * (test/fixtures/fidelity/odd_arguments.json, made by scripts/dev/python_gen_odd_arguments.py). Here every call runs
 * in-process through the tool route: the raw body is parsed the way FastAPI does, the tool runs, and the answer is
 * serialized; status and body bytes must be the recorded ones.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { WorkplaceEnvironment } from '../../../../src/core/environments/workplace';
import { parseToolRouteBody, toolRouteOutputAnswer } from '../../../../src/core/servers/resources/tool_route_body';
import { matchesRecorded, readOddArgumentsFixture, recordedText, requestBytes, type OddSession } from '../../../fixtures/fidelity/odd_arguments';
import { workplaceEnvironment } from './shared_data';

const fixture = readOddArgumentsFixture();
const byClass = new Map<string, OddSession[]>();
for (const session of fixture.sessions) {
  const sessions = byClass.get(session.class) ?? [];
  sessions.push(session);
  byClass.set(session.class, sessions);
}

interface Mismatch {
  session: number;
  call: number;
  tool: string;
  body: string;
  expected: string;
  actual: string;
}

async function runSession(env: WorkplaceEnvironment, session: OddSession, index: number, mismatches: Mismatch[]): Promise<void> {
  const state = env.newSession();
  for (const [i, call] of session.calls.entries()) {
    const bytes = requestBytes(call);
    const parsed = parseToolRouteBody(bytes);
    const answer = 'args' in parsed ? toolRouteOutputAnswer(await env.callToolRoute(state, call.tool, parsed.args)) : parsed;
    const actual = Buffer.from(answer.body, 'utf8');
    if (answer.status !== call.status || !matchesRecorded(call, actual)) {
      mismatches.push({
        session: index,
        call: i,
        tool: call.tool,
        body: call.body !== undefined ? call.body.slice(0, 300) : `base64:${call.bodyBase64 ?? ''}`.slice(0, 300),
        expected: `${call.status} ${recordedText(call).slice(0, 400)}`,
        actual: `${answer.status} ${answer.body.slice(0, 400)}`,
      });
    }
  }
}

describe('odd arguments: the same answers as NeMo Gym (in-process tool route)', () => {
  let env: WorkplaceEnvironment;
  beforeAll(async () => {
    env = await workplaceEnvironment();
  });

  test('the fixture was recorded with CPython, pandas and numpy and covers every class', () => {
    expect(fixture.pandas).toMatch(/^\d+\.\d+\.\d+$/);
    expect([...byClass.keys()].sort()).toEqual(
      ['body', 'cell_values', 'created_values', 'dates', 'nested_ids', 'pagination', 'regex_non_string', 'sessions', 'type_confusion', 'unicode'].sort(),
    );
  });

  for (const [name, sessions] of byClass) {
    test(`class ${name}: ${sessions.length} sessions`, async () => {
      const mismatches: Mismatch[] = [];
      for (const [index, session] of sessions.entries()) await runSession(env, session, index, mismatches);
      expect(mismatches.slice(0, 8), `${mismatches.length} mismatching calls`).toEqual([]);
    });
  }
});

describe('body nesting thresholds (measured on NeMo Gym, see tool_route_body.ts)', () => {
  const lists = (depth: number): Buffer => Buffer.from('['.repeat(depth) + ']'.repeat(depth));

  test('a refused body is echoed up to 984 levels; deeper, jsonable_encoder runs out of recursion', () => {
    expect(parseToolRouteBody(lists(984))).toMatchObject({ status: 422 });
    expect(parseToolRouteBody(lists(985))).toEqual({ status: 500, body: `"RecursionError('maximum recursion depth exceeded')"` });
    expect(parseToolRouteBody(lists(3000))).toEqual({ status: 500, body: `"RecursionError('maximum recursion depth exceeded')"` });
  });

  test('json.loads decodes 9998 levels; 9999 are a RecursionError, which FastAPI answers as a parse error', () => {
    const inObject = (depth: number): Buffer => Buffer.from(`{"email_id":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`);
    expect(parseToolRouteBody(inObject(9998))).toHaveProperty('args');
    expect(parseToolRouteBody(inObject(9999))).toEqual({ status: 400, body: '{"detail":"There was an error parsing the body"}' });
    expect(parseToolRouteBody(lists(9999))).toEqual({ status: 400, body: '{"detail":"There was an error parsing the body"}' });
  });
});
