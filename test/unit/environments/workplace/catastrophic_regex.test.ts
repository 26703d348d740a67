/**
 * The model's own regular expressions can backtrack for ages (issue #8, item 1). Such a search is stopped after
 * the time limit and answers `Error executing tool '<name>': the regular expression … was stopped …`, in the tool
 * route and in /verify's replay, while everything else keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../../../src/core/environments/workplace';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { compilePythonRegex, compileWithBacktrackingMatcher } from '../../../../src/core/python/regex';
import { RegexGuard, stoppedSearchMessage } from '../../../../src/core/python/regex_guard';
import type { PyValue } from '../../../../src/core/python/value';
import { callTool, toolArgs, workplaceEnvironment } from './shared_data';

const TIME_LIMIT_MS = 300;
let env: WorkplaceEnvironment;
let guard: RegexGuard;

beforeAll(async () => {
  env = await workplaceEnvironment();
  guard = new RegexGuard({ timeLimitMs: TIME_LIMIT_MS });
});

afterAll(async () => {
  await guard.close();
});

function call(session: WorkplaceSession, tool: string, args: Record<string, unknown>): Promise<PyValue> {
  return callTool(env, session, tool, args);
}

function stopped(tool: string, pattern: string): string {
  return `Error executing tool '${tool}': ${stoppedSearchMessage(pattern, TIME_LIMIT_MS)}`;
}

/** Rows whose text makes the patterns below backtrack (a model can write such rows before it searches). */
const LONG_RUN = `${'a'.repeat(40)}!`;
async function seededWithLongCells(): Promise<WorkplaceSession> {
  const session = env.newSession(guard);
  await call(session, 'calendar_create_event', { event_name: LONG_RUN, participant_email: 'x@y.com', event_start: '2023-12-01 10:00:00', duration: '30' });
  await call(session, 'customer_relationship_manager_add_customer', { customer_name: LONG_RUN, assigned_to_email: 'raj.patel@atlas.com', status: 'Lead' });
  await call(session, 'project_management_create_task', {
    task_name: LONG_RUN,
    assigned_to_email: 'aisha.chen@atlas.com',
    list_name: 'Backlog',
    due_date: '2023-12-01',
    board: 'Design',
  });
  return session;
}

const CATASTROPHIC: ReadonlyArray<readonly [tool: string, parameter: string, pattern: string]> = [
  // The three of the issue.
  ['calendar_search_events', 'query', '^((.)+)+#'],
  ['company_directory_find_email_address', 'name', '^(([a-z.@])+)+#'],
  ['calendar_search_events', 'query', '^((.)+)+\\2#'],
  // Nested quantifiers, alternation under a repeat, optional items under a count, polynomial sequences.
  ['customer_relationship_manager_search_customers', 'customer_name', '(a|a)+$'],
  ['customer_relationship_manager_search_customers', 'customer_name', '(\\w+\\s?)+$'],
  ['customer_relationship_manager_search_customers', 'customer_email', '^((.)+)+#'],
  ['project_management_search_tasks', 'task_name', '(a+)+b'],
  ['project_management_search_tasks', 'task_name', '(x+x+)+y|^((.)+)+#'],
  ['calendar_search_events', 'query', '.*.*.*.*.*.*x'],
  ['calendar_search_events', 'query', '(?:a|aa)+$'],
  ['calendar_search_events', 'query', '(.*a){12}#'],
  ['company_directory_find_email_address', 'name', '(([a-z.@])*)*#'],
  ['customer_relationship_manager_search_customers', 'customer_email', '^(?:(.)+)+\\1#'],
];

describe('a catastrophic regular expression in a tool call', () => {
  it.each(CATASTROPHIC.map(([tool, parameter, pattern]) => [`${tool} ${parameter}=${pattern}`, tool, parameter, pattern] as const))(
    '%s is stopped with a clear error, and the session goes on',
    async (_label, tool, parameter, pattern) => {
      const session = await seededWithLongCells();
      expect(await call(session, tool, { [parameter]: pattern })).toBe(stopped(tool, pattern));
      // The same session answers the next call normally.
      expect(dumpCompact(await call(session, 'company_directory_find_email_address', { name: 'nadia' }))).toBe('["nadia.moreau@atlas.com"]');
    },
  );

  it('says what happened in words the model can act on', async () => {
    const session = env.newSession(guard);
    expect(await call(session, 'calendar_search_events', { query: '^((.)+)+#' })).toBe(
      "Error executing tool 'calendar_search_events': the regular expression '^((.)+)+#' was stopped after 0.3 s (catastrophic backtracking; NeMo Gym would hang on this call)",
    );
    const long = `^((.)+)+#(?:${'y'.repeat(200)})?`;
    const answer = (await call(session, 'calendar_search_events', { query: long })) as string;
    expect(answer).toContain(`'^((.)+)+#(?:${'y'.repeat(88)}…'`);
    expect(answer).not.toContain('y'.repeat(89));
  });

  it("answers at once, as Python's _sre does, when every subject is shorter than the pattern's least width", async () => {
    const session = env.newSession(guard);
    const nothing = await call(session, 'calendar_search_events', { query: 'no event is called this' });
    // Catastrophic on any subject of 2 characters or more, but no event name has 202.
    expect(await call(session, 'calendar_search_events', { query: `^((.)+)+#${'y'.repeat(200)}` })).toBe(nothing);
  });

  it('keeps the checks that come first in Python first: a compile error or a TypeError answers at once', () => {
    const session = env.newSession(guard);
    const compileError = env.callToolRoute(session, 'calendar_search_events', toolArgs({ query: '^((.)+)+#(' }));
    expect(compileError).toBe("Error executing tool 'calendar_search_events': missing ), unterminated subpattern at position 9");
    const typeError = env.callToolRoute(session, 'customer_relationship_manager_search_customers', toolArgs({ customer_name: 5 }));
    expect(typeError).toBe("Error executing tool 'customer_relationship_manager_search_customers': first argument must be string or compiled pattern");
    expect(env.callToolRoute(session, 'project_management_search_tasks', toolArgs({}))).toBe('No search parameters provided.');
  });

  it('checks the tasks tool email format on a huge address without freezing', async () => {
    const session = env.newSession(guard);
    const answer = await call(session, 'project_management_search_tasks', { assigned_to_email: `a@${'a.'.repeat(50_000)}!` });
    expect(answer).toBe('Invalid email format for assigned_to_email.');
    expect(await call(session, 'project_management_search_tasks', { assigned_to_email: 5 })).toBe(
      "Error executing tool 'project_management_search_tasks': expected string or bytes-like object, got 'int'",
    );
  });

  it('runs the calls of one session in order: a write sent right after a stopped search lands after it', async () => {
    const session = env.newSession(guard);
    const search = call(session, 'calendar_search_events', { query: '^((.)+)+#' });
    const write = call(session, 'calendar_delete_event', { event_id: '00000013' });
    const order: string[] = [];
    await Promise.all([search.then(() => order.push('search')), write.then(() => order.push('write'))]);
    expect(order).toEqual(['search', 'write']);
    expect(await write).toBe('Event deleted successfully.');
  });

  it('leaves other sessions answering at once while pathological searches run', async () => {
    const hostile = env.newSession(guard);
    const other = env.newSession(guard);
    const order: string[] = [];
    const pathological = [0, 1, 2, 3].map((i) => call(hostile, 'calendar_search_events', { query: `^((.)+)+#${i}` }).then((answer) => (order.push('pathological'), answer)));
    for (let i = 0; i < 20; i++) {
      const answer = env.callToolRoute(other, 'calendar_search_events', toolArgs({ query: 'sync', page_size: 1 }));
      expect(answer).not.toBeInstanceOf(Promise); // answered inline, synchronously
      order.push('other');
    }
    const answers = await Promise.all(pathological);
    expect(answers.every((answer) => typeof answer === 'string' && answer.includes('was stopped after'))).toBe(true);
    expect(order.slice(0, 20)).toEqual(Array<string>(20).fill('other'));
  });
});

describe('a catastrophic regular expression in /verify', () => {
  it('does not hang the replay: the search is skipped as a call that raised, and the reward is computed', async () => {
    const send = { name: 'email_send_email', arguments: '{"recipient": "x@y.com", "subject": "Hi", "body": "Body"}' };
    const search = { name: 'calendar_search_events', arguments: '{"query": "^((.)+)+#"}' };
    const right = await env.verify([search, send], [send], guard);
    expect(right.reward).toBe(1);
    expect(right.explanation.skippedPredictedCalls).toEqual([
      { index: 0, name: 'calendar_search_events', reason: `TimeoutError: ${stoppedSearchMessage('^((.)+)+#', TIME_LIMIT_MS)}` },
    ]);
    const wrong = await env.verify([search], [send], guard);
    expect(wrong.reward).toBe(0);
  });

  it('handles back-references and every tool with a pattern the same way', async () => {
    const calls = CATASTROPHIC.slice(0, 6).map(([tool, parameter, pattern]) => ({ name: tool, arguments: JSON.stringify({ [parameter]: pattern }) }));
    const result = await env.verify(calls, [], guard);
    expect(result.reward).toBe(1);
    // A fresh replay has no long cells of its own: the CRM searches on short names end; the others are stopped.
    expect(result.explanation.skippedPredictedCalls.map((skipped) => skipped.index)).toEqual([0, 1, 2, 5]);
    expect(result.explanation.skippedPredictedCalls.every((skipped) => skipped.reason.startsWith('TimeoutError: the regular expression'))).toBe(true);
  });
});

describe('searches that only look expensive', () => {
  it('give the same answers through the worker as inline', async () => {
    const session = env.newSession(guard);
    const inline = env.newSession(new RegexGuard({ inlineStepLimit: Infinity }));
    for (const [tool, args] of [
      ['calendar_search_events', { query: 'a.*e.*o' }],
      ['customer_relationship_manager_search_customers', { customer_name: '(\\w+\\s?)+$', page_size: 50 }],
      ['project_management_search_tasks', { task_name: '(de|re)+.*s' }],
      ['company_directory_find_email_address', { name: '^(([a-z.])+)+@' }],
    ] as const) {
      const offloaded = env.callToolRoute(session, tool, toolArgs(args));
      expect(offloaded).toBeInstanceOf(Promise);
      expect(dumpCompact(await offloaded)).toBe(dumpCompact(await env.callToolRoute(inline, tool, toolArgs(args))));
    }
  });

  it('hand over to a worker when the backtracking matcher uses up its inline step budget', async () => {
    const tight = new RegexGuard({ engineStepBudget: 10 });
    const regex = compilePythonRegex('(\\w)\\1', { ignoreCase: true });
    const subjects = ['aabb', 'abc', 'hello', 'xyz'];
    const found = tight.evaluate(regex, subjects, 'search');
    expect(found).toBeInstanceOf(Promise);
    expect(await found).toEqual([true, false, true, false]);
    expect(new RegexGuard().evaluate(regex, subjects, 'search')).toEqual([true, false, true, false]);
    await tight.close();
  });

  it('pass the exceptions the worker raised back as they are raised inline', async () => {
    const patient = new RegexGuard({ timeLimitMs: 20_000 });
    const regex = compileWithBacktrackingMatcher('(?:(a)|b)*c\\1', 0);
    const subjects = ['ab', 'a'.repeat(200_000)];
    expect(() => regex.evaluate(subjects, 'search', Infinity)).toThrow('maximum recursion depth exceeded');
    const found = patient.evaluate(regex, subjects, 'search');
    expect(found).toBeInstanceOf(Promise);
    await expect(found).rejects.toMatchObject({ type: 'RecursionError', message: 'maximum recursion depth exceeded' });
    await patient.close();
  });
});
