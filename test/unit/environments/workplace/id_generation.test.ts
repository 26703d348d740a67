/**
 * New ids (email, event, task, customer) and the assignee check stay what a full scan of the table gives, now that
 * they are kept from call to call while rows are only appended; and long replays pause for the event loop without
 * changing what verification answers.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { seededRandom } from '../../../support/fake_openai';
import { replayCalls, type FunctionCall, type WorkplaceEnvironment, type WorkplaceSession } from '../../../../src/core/environments/workplace';
import type { CowTable, Row } from '../../../../src/core/environments/workplace/table';
import { nextId, zfill } from '../../../../src/core/environments/workplace/tools/frame_ops';
import { isMissing } from '../../../../src/core/environments/workplace/missing';
import { pyAdd, pyGt, pyStrLower, pyTruthy } from '../../../../src/core/python/ops';
import { pyIntConvert } from '../../../../src/core/python/int_parse';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { pyStr } from '../../../../src/core/python/repr';
import { isPyDict, type PyValue } from '../../../../src/core/python/value';
import { answeredNow } from '../../../support/answered_now';
import { workplaceEnvironment } from './shared_data';

let env: WorkplaceEnvironment;
beforeAll(async () => {
  env = await workplaceEnvironment();
});

/** The previous `nextId`, kept as the reference: a scan of the whole column on every call. */
function referenceNextId(rows: readonly Row[], column: number, zeroPad: boolean): string {
  let max: PyValue | undefined;
  for (const row of rows) {
    const cell = row[column] ?? null;
    if (isMissing(cell)) continue;
    if (max === undefined || pyTruthy(pyGt(cell, max))) max = cell;
  }
  const next = pyAdd(max === undefined ? 0 : pyIntConvert(max), 1);
  const id = pyStr(next);
  return zeroPad ? zfill(id, 8) : id;
}

/** The previous assignee check: any task whose assignee, lower-cased, is that email. */
function referenceIsCurrentAssignee(tasks: CowTable, lowerCasedEmail: string): boolean {
  return tasks.rows.some((row) => {
    const cell = row[2];
    return typeof cell === 'string' && pyStrLower(cell) === lowerCasedEmail;
  });
}

/** What a call gives: its value, or the exception it raised. */
function outcome(compute: () => string): string {
  try {
    return compute();
  } catch (error) {
    return `raised ${(error as Error).name}: ${(error as Error).message}`;
  }
}


function call(session: WorkplaceSession, name: string, args: Record<string, unknown>): string {
  const body = parsePythonJson(JSON.stringify(args));
  if (!isPyDict(body)) throw new Error('not an object');
  return dumpCompact(answeredNow(env.callToolRoute(session, name, body)));
}

interface IdTable {
  table: (session: WorkplaceSession) => CowTable;
  zeroPad: boolean;
  insert: (pick: () => number) => [string, Record<string, unknown>];
  remove: (id: PyValue) => [string, Record<string, unknown>] | null;
  updateId: ((id: PyValue, value: unknown) => [string, Record<string, unknown>]) | null;
}

const ASSIGNEES = ['aisha.chen@atlas.com', 'Carlos.Rodriguez@atlas.com', 'leila.azizi@atlas.com', 'nobody@atlas.com'];
const ID_VALUES: unknown[] = ['99999999', '00000001', '1000', '999', 7, 12.5, null, 'abc', '', ['00000001'], '  42 '];

const ID_TABLES: Record<string, IdTable> = {
  email: {
    table: (s) => s.emails,
    zeroPad: false,
    insert: (pick) => ['email_send_email', { recipient: 'Aisha.Chen@atlas.com', subject: `s${Math.floor(pick() * 5)}`, body: 'b' }],
    remove: (id) => ['email_delete_email', { email_id: id }],
    updateId: null,
  },
  calendar: {
    table: (s) => s.calendar,
    zeroPad: true,
    insert: () => ['calendar_create_event', { event_name: 'e', participant_email: 'a@b.com', event_start: '2023-12-01 10:00:00', duration: '30' }],
    remove: (id) => (typeof id === 'string' ? ['calendar_delete_event', { event_id: id }] : null),
    updateId: null,
  },
  tasks: {
    table: (s) => s.tasks,
    zeroPad: true,
    insert: (pick) => [
      'project_management_create_task',
      { task_name: 't', assigned_to_email: ASSIGNEES[Math.floor(pick() * ASSIGNEES.length)], list_name: 'Backlog', due_date: '2023-12-01', board: 'Design' },
    ],
    remove: (id) => ['project_management_delete_task', { task_id: id }],
    updateId: (id, value) => ['project_management_update_task', { task_id: id, field: 'task_id', new_value: value }],
  },
  crm: {
    table: (s) => s.crm,
    zeroPad: true,
    insert: () => ['customer_relationship_manager_add_customer', { customer_name: 'c', assigned_to_email: 'a@b.com', status: 'Lead' }],
    remove: (id) => ['customer_relationship_manager_delete_customer', { customer_id: id }],
    updateId: (id, value) => ['customer_relationship_manager_update_customer', { customer_id: id, field: 'customer_id', new_value: value }],
  },
};

describe('id generation across long insert / delete / update sequences', () => {
  for (const [seed, steps] of [
    [1, 4000],
    [2, 4000],
    [3, 2500],
  ] as const) {
    test(`every new id equals a full scan's (seed ${seed}, ${steps} steps)`, () => {
      const pick = seededRandom(seed);
      const session = env.newSession();
      let inserted = 0;
      let failedInserts = 0;
      for (let step = 0; step < steps; step++) {
        const [kind, spec] = Object.entries(ID_TABLES)[Math.floor(pick() * 4)] as [string, IdTable];
        const table = spec.table(session);
        const rows = table.rows;
        const roll = pick();
        const someId = (): PyValue => (rows.length > 0 && pick() < 0.8 ? ((rows[Math.floor(pick() * rows.length)] as Row)[0] ?? null) : '00000777');
        let request: [string, Record<string, unknown>] | null;
        if (roll < 0.6) request = spec.insert(pick);
        else if (roll < 0.85 || spec.updateId === null) request = spec.remove(someId());
        else request = spec.updateId(someId(), ID_VALUES[Math.floor(pick() * ID_VALUES.length)]);
        if (request === null) continue;
        const isInsert = roll < 0.6;
        const expectedId = outcome(() => referenceNextId(rows.slice(), 0, spec.zeroPad));
        const assigneeWanted = request[0] === 'project_management_create_task' ? pyStrLower(request[1].assigned_to_email as string) : null;
        const assigneeValid = assigneeWanted === null ? true : referenceIsCurrentAssignee(table, assigneeWanted);
        const countBefore = rows.length;
        const output = call(session, request[0], request[1]);
        if (!isInsert) continue;
        const after = spec.table(session).rows;
        if (!assigneeValid) {
          expect(output, `${kind} step ${step}`).toContain('Assignee email not valid');
          expect(after.length).toBe(countBefore);
        } else if (expectedId.startsWith('raised ')) {
          failedInserts++;
          expect(after.length, `${kind} step ${step}: ${output}`).toBe(countBefore);
          expect(output).toContain(expectedId.slice(expectedId.indexOf(': ') + 2));
        } else {
          inserted++;
          expect(after.length, `${kind} step ${step}: ${output}`).toBe(countBefore + 1);
          expect((after[after.length - 1] as Row)[0], `${kind} step ${step}`).toBe(expectedId);
        }
        // Now and then ask directly too, so the saved progress is resumed over runs of different lengths.
        if (pick() < 0.3) {
          const now = spec.table(session);
          expect(outcome(() => nextId(now, 0, spec.zeroPad))).toBe(outcome(() => referenceNextId(now.rows.slice(), 0, spec.zeroPad)));
        }
      }
      expect(inserted).toBeGreaterThan(steps / 4);
      expect(failedInserts).toBeGreaterThan(0);
    });
  }

  test('email ids follow the string max past 999 exactly as before ("1000" sorts below "999")', () => {
    const session = env.newSession();
    const ids: string[] = [];
    for (let i = 0; i < 700; i++) {
      const expected = referenceNextId(session.emails.rows, 0, false);
      call(session, 'email_send_email', { recipient: 'a@b.com', subject: 's', body: 'b' });
      const id = (session.emails.rows[session.emails.rows.length - 1] as Row)[0] as string;
      expect(id).toBe(expected);
      ids.push(id);
    }
    expect(ids.slice(0, 2)).toEqual(['500', '501']); // the tables' largest email id is 00000499
    expect(ids.slice(-3)).toEqual(['1000', '1000', '1000']);
  });

  test('an id cell that cannot be compared raises on every later insert, like the full scan', () => {
    const session = env.newSession();
    const created = JSON.parse(call(session, 'project_management_create_task', { task_name: 't', assigned_to_email: ASSIGNEES[0], list_name: 'Backlog', due_date: 'd', board: 'Design' })) as string;
    expect(created).toBe('00000300');
    expect(nextId(session.tasks, 0, true)).toBe('00000301');
    expect(call(session, 'project_management_update_task', { task_id: created, field: 'task_id', new_value: 5 })).toBe('"Task updated successfully."');
    for (let i = 0; i < 3; i++) {
      expect(() => referenceNextId(session.tasks.rows, 0, true)).toThrow();
      expect(outcome(() => nextId(session.tasks, 0, true))).toBe(outcome(() => referenceNextId(session.tasks.rows, 0, true)));
    }
    expect(call(session, 'project_management_delete_task', { task_id: 5 })).toBe('"Task deleted successfully."');
    expect(nextId(session.tasks, 0, true)).toBe(referenceNextId(session.tasks.rows, 0, true));
  });

  test('deleting the newest rows brings the next id back down, as a full scan does', () => {
    const session = env.newSession();
    const created = Array.from({ length: 5 }, () => call(session, 'calendar_create_event', { event_name: 'e', participant_email: 'a@b.com', event_start: '2023-12-01', duration: '30' }));
    expect(created.map((id) => JSON.parse(id) as string)).toEqual(['00000300', '00000301', '00000302', '00000303', '00000304']);
    call(session, 'calendar_delete_event', { event_id: '00000304' });
    call(session, 'calendar_delete_event', { event_id: '00000303' });
    expect(nextId(session.calendar, 0, true)).toBe('00000303');
    expect(referenceNextId(session.calendar.rows, 0, true)).toBe('00000303');
  });

  test('an assignee stops being valid once their last task is reassigned or deleted', () => {
    const session = env.newSession();
    const create = (assignee: string) => call(session, 'project_management_create_task', { task_name: 't', assigned_to_email: assignee, list_name: 'Backlog', due_date: 'd', board: 'Design' });
    const theirs = session.tasks.rows.filter((row) => row[2] === 'leila.azizi@atlas.com').map((row) => row[0] as string);
    expect(create('Leila.Azizi@atlas.com')).toMatch(/^"000003\d\d"$/);
    for (const id of theirs) call(session, 'project_management_update_task', { task_id: id, field: 'assigned_to_email', new_value: 'aisha.chen@atlas.com' });
    expect(create('leila.azizi@atlas.com')).toMatch(/^"000003\d\d"$/); // the task created above is still theirs
    const mine = session.tasks.rows.filter((row) => row[2] === 'leila.azizi@atlas.com').map((row) => row[0] as string);
    for (const id of mine) call(session, 'project_management_delete_task', { task_id: id });
    expect(referenceIsCurrentAssignee(session.tasks, 'leila.azizi@atlas.com')).toBe(false);
    expect(create('leila.azizi@atlas.com')).toBe('"Assignee email not valid. Please choose from the list of team members."');
    expect(call(session, 'project_management_update_task', { task_id: theirs[0], field: 'assigned_to_email', new_value: 'LEILA.AZIZI@atlas.com' })).toBe(
      '"Assignee email not valid. Please choose from the list of team members."',
    );
    expect(create('Aisha.Chen@atlas.com')).toMatch(/^"000003\d\d"$/);
  });
});

describe('long replays pause for the event loop', () => {
  const send: FunctionCall = { name: 'email_send_email', arguments: '{"recipient": "aisha.chen@atlas.com", "subject": "s", "body": "b"}' };
  const event: FunctionCall = { name: 'calendar_create_event', arguments: '{"event_name": "e", "participant_email": "a@b.com", "event_start": "2023-12-01 10:00:00", "duration": "30"}' };
  const broken: FunctionCall = { name: 'email_send_email', arguments: '[1]' };
  const unknown: FunctionCall = { name: 'no_such_tool', arguments: '{}' };

  test('a replay of up to 256 calls still answers at once', () => {
    const calls = Array.from({ length: 256 }, (_, i) => (i % 3 === 0 ? event : send));
    const replay = answeredNow(replayCalls(env.tables, calls));
    expect(replay.session.emails.rows).toHaveLength(500 + 170);
    expect(answeredNow(env.verify(calls, calls)).reward).toBe(1);
  });

  test('a longer replay lets other work run and ends in the state the same calls give one by one', async () => {
    const calls = Array.from({ length: 3000 }, (_, i) => [send, event, broken, unknown, send][i % 5] as FunctionCall);
    let turns = 0;
    const ticker = setInterval(() => void turns++, 0);
    const pending = replayCalls(env.tables, calls);
    expect(pending).toBeInstanceOf(Promise);
    const replay = await pending;
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);

    const direct = env.newSession();
    for (const c of calls) {
      const body = parsePythonJson(c.arguments);
      if (isPyDict(body) && c.name !== 'no_such_tool') answeredNow(env.callToolRoute(direct, c.name, body));
    }
    expect(replay.session.emails.rows).toEqual(direct.emails.rows);
    expect(replay.session.calendar.rows).toEqual(direct.calendar.rows);
    expect(replay.session.calendar.labels).toEqual(direct.calendar.labels);
    expect(replay.skipped.map((s) => s.index)).toEqual(calls.flatMap((c, i) => (c === broken || c === unknown ? [i] : [])));
    expect(replay.skipped[0]?.reason).toBe('TypeError: EmailTool.send_email() argument after ** must be a mapping, not list');

    const same = await env.verify(calls, calls);
    expect(same.reward).toBe(1);
    const fewer = await env.verify(calls, calls.slice(0, -1));
    expect(fewer.reward).toBe(0);
  });
});
