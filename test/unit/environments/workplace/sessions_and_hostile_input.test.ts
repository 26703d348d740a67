import { beforeAll, describe, expect, test } from 'vitest';
import {
  createWorkplaceEnvironment,
  loadWorkplaceTables,
  type WorkplaceEnvironment,
  type WorkplaceSession,
  type WorkplaceTables,
} from '../../../../src/core/environments/workplace';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { isPyDict, type PyDict, type PyValue } from '../../../../src/core/python/value';
import { csvDir } from './shared_data';
import { answeredNow } from '../../../support/answered_now';

function body(json: string): PyDict {
  const value = parsePythonJson(json);
  if (!isPyDict(value)) throw new Error('not an object');
  return value;
}

function output(env: WorkplaceEnvironment, session: WorkplaceSession, name: string, json: string): string {
  return dumpCompact(new Map<string, PyValue>([['output', answeredNow(env.callToolRoute(session, name, body(json)))]]));
}

function deepFreeze(tables: WorkplaceTables): void {
  for (const table of [tables.emails, tables.calendar, tables.analytics, tables.tasks, tables.crm]) {
    for (const row of table.rows) Object.freeze(row);
    Object.freeze(table.rows);
    Object.freeze(table);
  }
  Object.freeze(tables.directory);
}

let env: WorkplaceEnvironment;
let tables: WorkplaceTables;
beforeAll(async () => {
  tables = await loadWorkplaceTables(csvDir);
  deepFreeze(tables); // any in-place write to the shared base now throws
  env = createWorkplaceEnvironment(tables);
});

describe('copy-on-write sessions', () => {
  test('a new session shares the base tables until it writes', () => {
    const session = env.newSession();
    expect(session.emails.rows).toBe(tables.emails.rows);
    expect(session.crm.isUntouched).toBe(true);
    expect(output(env, session, 'customer_relationship_manager_search_customers', '{"customer_name": "Casey Wilson"}')).toContain('Casey Wilson');
    expect(session.crm.rows).toBe(tables.crm.rows);
  });

  test('writes in one session never reach another session or the base', () => {
    const a = env.newSession();
    const b = env.newSession();
    const writes: Array<[string, string]> = [
      ['email_send_email', '{"recipient": "x@y.com", "subject": "S", "body": "B"}'],
      ['email_delete_email', '{"email_id": "00000057"}'],
      ['calendar_create_event', '{"event_name": "E", "participant_email": "a@b.com", "event_start": "2023-12-05 10:00:00", "duration": "30"}'],
      ['calendar_update_event', '{"event_id": "00000013", "field": "event_name", "new_value": "Renamed"}'],
      ['calendar_delete_event', '{"event_id": "00000016"}'],
      ['analytics_create_plot', '{"time_min": "a", "time_max": "b", "value_to_plot": "total_visits", "plot_type": "bar"}'],
      ['analytics_get_average_session_duration', '{}'],
      ['project_management_create_task', '{"task_name": "T", "assigned_to_email": "leila.azizi@atlas.com", "list_name": "Backlog", "due_date": "2023-12-01", "board": "Design"}'],
      ['project_management_update_task', '{"task_id": "00000149", "field": "board", "new_value": "Back end"}'],
      ['project_management_delete_task', '{"task_id": "00000037"}'],
      ['customer_relationship_manager_add_customer', '{"customer_name": "N", "assigned_to_email": "raj.patel@atlas.com", "status": "Lead"}'],
      ['customer_relationship_manager_update_customer', '{"customer_id": "00000014", "field": "status", "new_value": "Won"}'],
      ['customer_relationship_manager_delete_customer', '{"customer_id": "00000015"}'],
    ];
    for (const [name, json] of writes) expect(output(env, a, name, json)).not.toContain('Error');

    expect(output(env, b, 'email_get_email_information_by_id', '{"email_id": "00000057", "field": "email_id"}')).toBe('{"output":{"email_id":"00000057"}}');
    expect(output(env, b, 'email_get_email_information_by_id', '{"email_id": "500", "field": "subject"}')).toBe('{"output":"Email not found."}');
    expect(output(env, b, 'calendar_get_event_information_by_id', '{"event_id": "00000013", "field": "event_name"}')).toBe('{"output":{"event_name":"sync up"}}');
    expect(output(env, b, 'project_management_get_task_information_by_id', '{"task_id": "00000149", "field": "board"}')).toBe('{"output":{"board":"Front end"}}');
    expect(output(env, b, 'analytics_get_visitor_information_by_id', '{"visitor_id": "0860"}')).toContain('"session_duration_seconds":"4"');
    expect(output(env, a, 'analytics_get_visitor_information_by_id', '{"visitor_id": "0860"}')).toContain('"session_duration_seconds":4.0');
    expect(b.plots.rows).toHaveLength(0);
    for (const table of ['emails', 'calendar', 'tasks', 'crm'] as const) expect(b[table].rows).toBe(tables[table].rows);
    expect([tables.emails.rows.length, tables.calendar.rows.length, tables.tasks.rows.length, tables.crm.rows.length]).toEqual([500, 300, 300, 200]);
    expect(tables.emails.labels).toBeNull();

    // Verification replays start from the base too.
    expect(answeredNow(env.verify([], [])).reward).toBe(1);
  });

  test('reset() (seed_session) gives the session fresh state', () => {
    const session = env.newSession();
    output(env, session, 'email_delete_email', '{"email_id": "00000057"}');
    output(env, session, 'analytics_get_average_session_duration', '{}');
    session.reset();
    expect(output(env, session, 'email_get_email_information_by_id', '{"email_id": "00000057", "field": "email_id"}')).toBe('{"output":{"email_id":"00000057"}}');
    expect(output(env, session, 'analytics_get_visitor_information_by_id', '{"visitor_id": "0860"}')).toContain('"session_duration_seconds":"4"');
    expect(session.emails.isUntouched).toBe(true);
  });
});

describe('hostile input to the tool route', () => {
  test('prototype keys and odd names are unknown tools, with the KeyError repr of the name', () => {
    const session = env.newSession();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '../x', 'valueOf']) {
      expect(output(env, session, name, '{}')).toBe(`{"output":"Error executing tool '${name}': '${name}'"}`);
    }
    expect(output(env, session, "it's", '{}')).toBe(`{"output":"Error executing tool 'it's': \\"it's\\""}`);
    expect(output(env, session, 'tab\there', '{}')).toBe(`{"output":"Error executing tool 'tab\\there': 'tab\\\\there'"}`);
  });

  test('argument names that are prototype keys are unexpected keywords', () => {
    const session = env.newSession();
    expect(output(env, session, 'email_delete_email', '{"__proto__": "x"}')).toBe(
      `{"output":"Error executing tool 'email_delete_email': EmailTool.delete_email() got an unexpected keyword argument '__proto__'"}`,
    );
    expect(output(env, session, 'email_delete_email', '{"constructor": 1}')).toContain("unexpected keyword argument 'constructor'");
  });

  test('very long strings', () => {
    const session = env.newSession();
    const long = 'a'.repeat(200_000);
    const longPattern = 'a'.repeat(10_000);
    expect(output(env, session, 'email_search_emails', JSON.stringify({ query: long }))).toBe('{"output":"No emails found."}');
    expect(output(env, session, 'company_directory_find_email_address', JSON.stringify({ name: longPattern }))).toBe('{"output":[]}');
    expect(output(env, session, 'customer_relationship_manager_search_customers', JSON.stringify({ customer_name: longPattern }))).toBe(
      '{"output":"No customers found."}',
    );
    const sent = output(env, session, 'email_send_email', JSON.stringify({ recipient: 'x@y.com', subject: long, body: long }));
    expect(sent).toBe('{"output":"Email sent successfully."}');
  });

  test('deeply nested argument values', () => {
    const session = env.newSession();
    const nested = `${'['.repeat(500)}1${']'.repeat(500)}`;
    const plot = output(env, session, 'analytics_create_plot', `{"time_min": ${nested}, "time_max": "b", "value_to_plot": "total_visits", "plot_type": "bar"}`);
    expect(plot).toMatch(/^\{"output":"(plots\/\[\[\[|Error executing tool)/);
    expect(output(env, session, 'email_search_emails', `{"query": ${nested}}`)).toBe(
      `{"output":"Error searching emails: 'list' object has no attribute 'lower'"}`,
    );
    expect(output(env, session, 'email_get_email_information_by_id', `{"email_id": "00000057", "field": ${nested}}`)).toBe(
      `{"output":"Error retrieving email information: unhashable type: 'list'"}`,
    );
    expect(output(env, session, 'email_get_email_information_by_id', '{"email_id": "00000057", "field": "email_id"}')).toBe(
      '{"output":{"email_id":"00000057"}}',
    );
  });

  test('huge ints keep Python semantics', () => {
    const session = env.newSession();
    const huge = '1000000000000000000000000000000';
    const search = output(env, session, 'email_search_emails', `{"query": "kofi", "page": ${huge}, "page_size": ${huge}}`);
    expect(search).toContain(`"pagination":{"total_emails":`);
    expect(search).toContain(`"page":1,"page_size":${huge},"total_pages":1}`);
    expect(output(env, session, 'calendar_get_event_information_by_id', `{"event_id": ${huge}, "field": "duration"}`)).toBe(
      '{"output":"Invalid event ID format. Expected 8-digit ID."}',
    );
    expect(
      output(env, session, 'calendar_create_event', `{"event_name": "E", "participant_email": "a@b.com", "event_start": "2023-12-05 10:00:00", "duration": ${huge}}`),
    ).toBe('{"output":"00000300"}');
    expect(output(env, session, 'calendar_get_event_information_by_id', '{"event_id": "00000300", "field": "duration"}')).toBe(
      `{"output":{"duration":${huge}}}`,
    );
    expect(output(env, session, 'customer_relationship_manager_search_customers', `{"customer_name": "Casey", "page": -${huge}}`)).toContain(
      '"page":1,',
    );
  });
});
