/** Behaviours the spec states (WORKPLACE_TOOLS.md) that the golden sessions do not exercise directly. */
import { beforeAll, describe, expect, test } from 'vitest';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../../../src/core/environments/workplace';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { isPyDict, type PyValue } from '../../../../src/core/python/value';
import { workplaceEnvironment } from './shared_data';
import { answeredNow } from '../../../support/answered_now';

let env: WorkplaceEnvironment;
beforeAll(async () => {
  env = await workplaceEnvironment();
});

function run(session: WorkplaceSession, name: string, json: string): string {
  const body = parsePythonJson(json);
  if (!isPyDict(body)) throw new Error('not an object');
  return dumpCompact(new Map<string, PyValue>([['output', answeredNow(env.callToolRoute(session, name, body))]]));
}

describe('spec behaviours', () => {
  test('create_plot builds the path with Python str() of the raw values (§4.7)', () => {
    const session = env.newSession();
    expect(run(session, 'analytics_create_plot', '{"time_min": 5, "time_max": 1.0, "value_to_plot": "user_engaged", "plot_type": "scatter"}')).toBe(
      '{"output":"plots/5_1.0_user_engaged_scatter.png"}',
    );
    expect(run(session, 'analytics_create_plot', '{"time_min": "a", "time_max": true, "value_to_plot": "user_engaged", "plot_type": "scatter"}')).toBe(
      '{"output":"plots/a_True_user_engaged_scatter.png"}',
    );
    expect(run(session, 'analytics_create_plot', '{"time_min": [1, 2], "time_max": {"a": 1}, "value_to_plot": "user_engaged", "plot_type": "bar"}')).toBe(
      `{"output":"plots/[1, 2]_{'a': 1}_user_engaged_bar.png"}`,
    );
    expect(session.plots.labels).toBeNull();
    expect(session.plots.rows).toHaveLength(3);
  });

  test('page_size -1 returns all results but the last, and echoes the raw page_size (§4.5)', () => {
    const session = env.newSession();
    const all = JSON.parse(run(session, 'customer_relationship_manager_search_customers', '{"customer_name": "Casey", "page_size": 100}')) as {
      output: { customers: unknown[]; pagination: { total_customers: number } };
    };
    const minusOne = JSON.parse(run(session, 'customer_relationship_manager_search_customers', '{"customer_name": "Casey", "page_size": -1}')) as {
      output: { customers: unknown[]; pagination: Record<string, number> };
    };
    expect(minusOne.output.customers).toEqual(all.output.customers.slice(0, -1));
    expect(minusOne.output.pagination.page).toBe(1);
    expect(minusOne.output.pagination.page_size).toBe(-1);
  });

  test('deleting the max id makes the next create reuse it (§3.5)', () => {
    const session = env.newSession();
    expect(run(session, 'customer_relationship_manager_add_customer', '{"customer_name": "A", "assigned_to_email": "raj.patel@atlas.com", "status": "Lead"}')).toBe(
      '{"output":"00000200"}',
    );
    expect(run(session, 'customer_relationship_manager_delete_customer', '{"customer_id": "00000200"}')).toBe('{"output":"Customer deleted successfully."}');
    expect(run(session, 'customer_relationship_manager_add_customer', '{"customer_name": "B", "assigned_to_email": "raj.patel@atlas.com", "status": "Lead"}')).toBe(
      '{"output":"00000200"}',
    );
    expect(run(session, 'email_send_email', '{"recipient": "a@b.c", "subject": "s", "body": "b"}')).toBe('{"output":"Email sent successfully."}');
    expect(run(session, 'email_get_email_information_by_id', '{"email_id": "500", "field": "inbox/outbox"}')).toBe('{"output":{"inbox/outbox":"outbox"}}');
  });

  test('an assignee whose tasks are all deleted is no longer valid (§5.21)', () => {
    const session = env.newSession();
    const search = JSON.parse(run(session, 'project_management_search_tasks', '{"assigned_to_email": "amir.ali@atlas.com"}')) as { output: Array<{ task_id: string }> };
    expect(search.output.length).toBeGreaterThan(0);
    for (const task of search.output) run(session, 'project_management_delete_task', JSON.stringify({ task_id: task.task_id }));
    expect(
      run(session, 'project_management_create_task', '{"task_name": "T", "assigned_to_email": "amir.ali@atlas.com", "list_name": "Backlog", "due_date": "2023-12-01", "board": "Design"}'),
    ).toBe('{"output":"Assignee email not valid. Please choose from the list of team members."}');
  });

  test('ids may be updated: task_id and customer_id are columns like any other (§12.12)', () => {
    const session = env.newSession();
    expect(run(session, 'project_management_update_task', '{"task_id": "00000149", "field": "task_id", "new_value": "X1"}')).toBe(
      '{"output":"Task updated successfully."}',
    );
    expect(run(session, 'project_management_get_task_information_by_id', '{"task_id": "X1", "field": "task_name"}')).toBe(
      '{"output":{"task_name":"Add animation to carousel"}}',
    );
    expect(run(session, 'customer_relationship_manager_update_customer', '{"customer_id": "00000014", "field": "customer_id", "new_value": "C"}')).toBe(
      '{"output":"Customer updated successfully."}',
    );
  });

  test('Python type errors reach the model as route errors', () => {
    const session = env.newSession();
    expect(run(session, 'email_send_email', '{"recipient": 5, "subject": "s", "body": "b"}')).toBe(
      `{"output":"Error executing tool 'email_send_email': argument of type 'int' is not iterable"}`,
    );
    expect(run(session, 'email_send_email', '{"recipient": ["@", "."], "subject": "s", "body": "b"}')).toBe(
      `{"output":"Error sending email: 'list' object has no attribute 'lower'"}`,
    );
    expect(run(session, 'customer_relationship_manager_search_customers', '{"last_contact_date_min": 5}')).toBe(
      `{"output":"Error executing tool 'customer_relationship_manager_search_customers': '>=' not supported between instances of 'str' and 'int'"}`,
    );
    expect(run(session, 'analytics_total_visits_count', '{"time_max": 5}')).toBe(
      `{"output":"Error executing tool 'analytics_total_visits_count': '<=' not supported between instances of 'str' and 'int'"}`,
    );
    expect(run(session, 'calendar_create_event', '{"event_name": "E", "participant_email": "a@b.c", "event_start": "2023-12-05 10:00:00", "duration": [1]}')).toBe(
      `{"output":"Error executing tool 'calendar_create_event': int() argument must be a string, a bytes-like object or a real number, not 'list'"}`,
    );
    expect(run(session, 'email_search_emails', '{"query": "kofi", "self": 1}')).toBe(
      `{"output":"Error executing tool 'email_search_emails': EmailTool.search_emails() got multiple values for argument 'self'"}`,
    );
  });

  test('calendar ids: exactly 8 characters that str.isdigit() accepts', () => {
    const session = env.newSession();
    expect(run(session, 'calendar_delete_event', '{"event_id": "0000001²"}')).toBe('{"output":"Event not found."}');
    expect(run(session, 'calendar_delete_event', '{"event_id": "0000001a"}')).toBe('{"output":"Invalid event ID format. Expected 8-digit ID."}');
    expect(run(session, 'calendar_delete_event', '{"event_id": "00000013"}')).toBe('{"output":"Event deleted successfully."}');
  });

  test('calendar create keeps event_start and duration as given; the new row has label 0', () => {
    const session = env.newSession();
    expect(
      run(session, 'calendar_create_event', '{"event_name": "E", "participant_email": "Up@X.com", "event_start": "2023-12-05T10:00:00", "duration": 30.5}'),
    ).toBe('{"output":"00000300"}');
    const last = session.calendar.rows.length - 1;
    expect(session.calendar.rows[last]).toEqual(['00000300', 'E', 'up@x.com', '2023-12-05T10:00:00', expect.anything()]);
    expect(run(session, 'calendar_get_event_information_by_id', '{"event_id": "00000300", "field": "duration"}')).toBe('{"output":{"duration":30.5}}');
    expect(session.calendar.label(last)).toBe(0);
  });

  test('the verify replay passes null arguments on: add_customer(notes=None) stores None', () => {
    const withNull = { name: 'customer_relationship_manager_add_customer', arguments: '{"customer_name": "N", "assigned_to_email": "a@b.c", "status": "Lead", "notes": null}' };
    const omitted = { name: 'customer_relationship_manager_add_customer', arguments: '{"customer_name": "N", "assigned_to_email": "a@b.c", "status": "Lead"}' };
    expect(answeredNow(env.verify([withNull], [omitted])).reward).toBe(0);
    const session = env.newSession();
    run(session, 'customer_relationship_manager_add_customer', '{"customer_name": "N", "assigned_to_email": "a@b.c", "status": "Lead", "notes": null}');
    expect(session.crm.rows.at(-1)?.at(-1)).toBe('');
  });
});
