import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { COMPANY_DIRECTORY, loadWorkplaceTables, WORKPLACE_TOOL_SCHEMAS, WorkplaceDataError } from '../../../../src/core/environments/workplace';
import { WORKPLACE_TOOLS } from '../../../../src/core/environments/workplace/tools';
import { csvDir, fixturePath } from './shared_data';

describe('tool schemas', () => {
  test('are byte-identical to the tool_schemas.json fixture (indent 2, final newline)', () => {
    const expected = readFileSync(fixturePath('workplace_assistant/tool_schemas.json'), 'utf8');
    expect(`${JSON.stringify(WORKPLACE_TOOL_SCHEMAS, null, 2)}\n`).toBe(expected);
  });

  test('are the tools of every example task, in the same order', () => {
    const firstTask = JSON.parse(readFileSync(fixturePath('workplace_assistant/example.jsonl'), 'utf8').split('\n')[0] as string) as {
      responses_create_params: { tools: unknown[] };
    };
    expect(firstTask.responses_create_params.tools).toEqual(JSON.parse(JSON.stringify(WORKPLACE_TOOL_SCHEMAS)));
  });

  test('name exactly the 27 implemented tools, with Python class and method names', () => {
    expect(WORKPLACE_TOOL_SCHEMAS.map((schema) => schema.name)).toEqual([...WORKPLACE_TOOLS.keys()]);
    expect(WORKPLACE_TOOLS.size).toBe(27);
    expect(WORKPLACE_TOOLS.get('email_search_emails')?.qualifiedName).toBe('EmailTool.search_emails');
    expect(WORKPLACE_TOOLS.get('company_directory_find_email_address')?.qualifiedName).toBe('CompanyDirectoryTool.find_email_address');
    expect(WORKPLACE_TOOLS.get('customer_relationship_manager_add_customer')?.parameters).toEqual([
      'customer_name',
      'assigned_to_email',
      'status',
      'customer_email',
      'customer_phone',
      'last_contact_date',
      'product_interest',
      'notes',
      'follow_up_by',
    ]);
  });
});

describe('loadWorkplaceTables', () => {
  test('reads the five tables with dtype=str semantics', async () => {
    const tables = await loadWorkplaceTables(csvDir);
    expect([tables.emails, tables.calendar, tables.analytics, tables.tasks, tables.crm].map((t) => t.rows.length)).toEqual([500, 300, 1000, 300, 200]);
    expect(tables.emails.rows[0]?.[0]).toBe('00000373');
    expect(tables.analytics.rows.filter((row) => row[5] === true)).toHaveLength(485);
    expect(tables.analytics.rows.every((row) => typeof row[5] === 'boolean' && typeof row[2] === 'string')).toBe(true);
    const phone = tables.crm.columnIndex.get('customer_phone') as number;
    expect(tables.crm.rows.filter((row) => row[phone] === null)).toHaveLength(100);
    const notes = tables.crm.columnIndex.get('notes') as number;
    expect(tables.crm.rows[0]?.[notes]).toBe('2023-11-07: Had a call. 2023-11-25: Had a call. ');
    expect(tables.directory).toBe(COMPANY_DIRECTORY);
    expect(tables.directory).toHaveLength(20);
    expect(tables.emails.labels).toBeNull();
  });

  describe('errors name the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workplace-tables-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const header = {
      'analytics_data.csv': 'date_of_visit,visitor_id,page_views,session_duration_seconds,traffic_source,user_engaged\n2023-10-22,0860,8,4,referral,False',
      'calendar_events.csv': 'event_id,event_name,participant_email,event_start,duration\n00000001,a,b@c.d,2023-12-01 10:00:00,30',
      'customer_relationship_manager_data.csv':
        'customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes\n00000001,a@b.c,N,,,,,Lead,,',
      'emails.csv': 'email_id,inbox/outbox,sender/recipient,subject,sent_datetime,body\n00000001,inbox,a@b.c,S,2023-10-01 09:00:00,"B"',
      'project_tasks.csv': 'task_id,task_name,assigned_to_email,list_name,due_date,board\n00000001,T,a@b.c,Backlog,2023-12-01,Design',
    };

    test('a valid directory loads', async () => {
      for (const [file, text] of Object.entries(header)) writeFileSync(join(dir, file), text);
      const tables = await loadWorkplaceTables(dir);
      expect(tables.crm.rows[0]).toEqual(['00000001', 'a@b.c', 'N', null, null, null, null, 'Lead', null, null]);
    });

    test('a missing file', async () => {
      rmSync(join(dir, 'emails.csv'));
      await expect(loadWorkplaceTables(dir)).rejects.toThrow(WorkplaceDataError);
      await expect(loadWorkplaceTables(dir)).rejects.toThrow(/emails\.csv: file not found/);
      writeFileSync(join(dir, 'emails.csv'), header['emails.csv']);
    });

    test('a wrong header', async () => {
      writeFileSync(join(dir, 'project_tasks.csv'), 'task_id,name\n1,x');
      await expect(loadWorkplaceTables(dir)).rejects.toThrow(/project_tasks\.csv: unexpected header task_id,name/);
      writeFileSync(join(dir, 'project_tasks.csv'), header['project_tasks.csv']);
    });

    test('a record with the wrong number of fields', async () => {
      writeFileSync(join(dir, 'calendar_events.csv'), 'event_id,event_name,participant_email,event_start,duration\n1,2,3');
      await expect(loadWorkplaceTables(dir)).rejects.toThrow(/calendar_events\.csv: record 2 has 3 fields \(expected 5\)/);
    });
  });
});
