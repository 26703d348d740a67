import type { Cell, TableSnapshot } from '../environments/workplace/table';
import type { WorkplaceTables } from '../environments/workplace/tables';

/**
 * The real entities of the workplace tables, as plain records the templates can sample from and describe.
 * Built once per generation from the same tables the sandbox sessions start from.
 */
export interface Person {
  /** `nia` */
  readonly handle: string;
  /** `Nia` */
  readonly first: string;
  /** `Nia Johnson` */
  readonly full: string;
  readonly email: string;
}

export interface EmailEntity {
  readonly id: string;
  readonly sender: string;
  readonly subject: string;
  readonly sent: string;
  readonly day: string;
}

export interface EventEntity {
  readonly id: string;
  readonly name: string;
  readonly participant: string;
  readonly start: string;
  readonly day: string;
  readonly duration: string;
}

export interface TaskEntity {
  readonly id: string;
  readonly name: string;
  readonly assignee: string;
  readonly list: string;
  readonly due: string;
  readonly board: string;
}

export interface CustomerEntity {
  readonly id: string;
  readonly assignee: string;
  readonly name: string;
  readonly status: string;
  readonly product: string;
  readonly lastContact: string;
}

/** One day of the analytics table, as the analytics tools count it. */
export interface AnalyticsDay {
  readonly date: string;
  readonly totalVisits: number;
  readonly engagedUsers: number;
  readonly averageSessionSeconds: number;
  readonly bySource: ReadonlyMap<string, number>;
}

export interface Entities {
  readonly tables: WorkplaceTables;
  readonly people: readonly Person[];
  readonly emails: readonly EmailEntity[];
  readonly events: readonly EventEntity[];
  readonly tasks: readonly TaskEntity[];
  readonly customers: readonly CustomerEntity[];
  readonly analyticsDays: readonly AnalyticsDay[];
  /** The ids present in the base tables, by id column. */
  readonly ids: ReadonlyMap<IdArgument, ReadonlySet<string>>;
}

/** The id arguments of the tools and the table each one names a row of. */
export const ID_ARGUMENTS = ['email_id', 'event_id', 'task_id', 'customer_id'] as const;
export type IdArgument = (typeof ID_ARGUMENTS)[number];

/** "Today" in every task: NeMo Gym's `HARDCODED_CURRENT_TIME`. */
export const TODAY = '2023-11-30';
export const NOW = '2023-11-30 23:59:00';

function text(cell: Cell | undefined): string {
  return typeof cell === 'string' ? cell : cell === null || cell === undefined ? '' : String(cell);
}

function records(table: TableSnapshot): Array<(column: string) => string> {
  return table.rows.map((row) => (column: string) => text(row[table.columnIndex.get(column) ?? -1]));
}

function capitalize(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

export function personOf(email: string): Person {
  const handle = email.split('@')[0] ?? email;
  const [first = handle, last = ''] = handle.split('.');
  return { handle: first, first: capitalize(first), full: `${capitalize(first)} ${capitalize(last)}`.trim(), email };
}

export function buildEntities(tables: WorkplaceTables): Entities {
  const people = tables.directory.map(personOf);
  const emails = records(tables.emails).map((get) => ({
    id: get('email_id'),
    sender: get('sender/recipient'),
    subject: get('subject'),
    sent: get('sent_datetime'),
    day: get('sent_datetime').slice(0, 10),
  }));
  const events = records(tables.calendar).map((get) => ({
    id: get('event_id'),
    name: get('event_name'),
    participant: get('participant_email'),
    start: get('event_start'),
    day: get('event_start').slice(0, 10),
    duration: get('duration'),
  }));
  const tasks = records(tables.tasks).map((get) => ({
    id: get('task_id'),
    name: get('task_name'),
    assignee: get('assigned_to_email'),
    list: get('list_name'),
    due: get('due_date'),
    board: get('board'),
  }));
  const customers = records(tables.crm).map((get) => ({
    id: get('customer_id'),
    assignee: get('assigned_to_email'),
    name: get('customer_name'),
    status: get('status'),
    product: get('product_interest'),
    lastContact: get('last_contact_date'),
  }));
  const ids = new Map<IdArgument, ReadonlySet<string>>([
    ['email_id', new Set(emails.map((e) => e.id))],
    ['event_id', new Set(events.map((e) => e.id))],
    ['task_id', new Set(tasks.map((t) => t.id))],
    ['customer_id', new Set(customers.map((c) => c.id))],
  ]);
  return { tables, people, emails, events, tasks, customers, analyticsDays: analyticsDays(tables.analytics), ids };
}

function analyticsDays(table: TableSnapshot): AnalyticsDay[] {
  const days = new Map<string, { total: number; engaged: number; seconds: number; bySource: Map<string, number> }>();
  const date = table.columnIndex.get('date_of_visit') ?? 0;
  const engaged = table.columnIndex.get('user_engaged') ?? 0;
  const seconds = table.columnIndex.get('session_duration_seconds') ?? 0;
  const source = table.columnIndex.get('traffic_source') ?? 0;
  for (const row of table.rows) {
    const day = text(row[date]);
    let entry = days.get(day);
    if (entry === undefined) {
      entry = { total: 0, engaged: 0, seconds: 0, bySource: new Map() };
      days.set(day, entry);
    }
    entry.total += 1;
    if (row[engaged] === true) entry.engaged += 1;
    entry.seconds += Number(text(row[seconds]));
    const name = text(row[source]);
    entry.bySource.set(name, (entry.bySource.get(name) ?? 0) + 1);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, entry]) => ({
      date: day,
      totalVisits: entry.total,
      engagedUsers: entry.engaged,
      averageSessionSeconds: entry.seconds / entry.total,
      bySource: entry.bySource,
    }));
}

export function personByEmail(entities: Entities, email: string): Person | undefined {
  return entities.people.find((person) => person.email === email);
}
