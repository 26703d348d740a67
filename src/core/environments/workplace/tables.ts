import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { makeSnapshot, type Cell, type Row, type TableSnapshot } from './table';

/** The read-only base state every session starts from (WORKPLACE_TOOLS.md §3). */
export interface WorkplaceTables {
  readonly emails: TableSnapshot;
  readonly calendar: TableSnapshot;
  readonly analytics: TableSnapshot;
  readonly tasks: TableSnapshot;
  readonly crm: TableSnapshot;
  /** `CompanyDirectoryTool._emails.email_address`, in file order. */
  readonly directory: readonly string[];
}

export const EMAIL_COLUMNS = ['email_id', 'inbox/outbox', 'sender/recipient', 'subject', 'sent_datetime', 'body'] as const;
export const CALENDAR_COLUMNS = ['event_id', 'event_name', 'participant_email', 'event_start', 'duration'] as const;
export const ANALYTICS_COLUMNS = [
  'date_of_visit',
  'visitor_id',
  'page_views',
  'session_duration_seconds',
  'traffic_source',
  'user_engaged',
] as const;
export const TASK_COLUMNS = ['task_id', 'task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'] as const;
export const CRM_COLUMNS = [
  'customer_id',
  'assigned_to_email',
  'customer_name',
  'customer_email',
  'customer_phone',
  'last_contact_date',
  'product_interest',
  'status',
  'follow_up_by',
  'notes',
] as const;
export const PLOT_COLUMNS = ['file_path'] as const;

/**
 * NeMo Gym's `csv_data/raw/email_addresses.csv` (no header, 20 rows). It is not among the five downloaded tables,
 * so the list lives here, in file order.
 */
export const COMPANY_DIRECTORY: readonly string[] = [
  'aisha.chen',
  'carlos.rodriguez',
  'fatima.khan',
  'dmitri.ivanov',
  'yuki.tanaka',
  'nia.johnson',
  'leila.azizi',
  'santiago.martinez',
  'chenwei.zhang',
  'anaya.patel',
  'kofi.mensah',
  'luis.ortiz',
  'olga.petrova',
  'jinsoo.kim',
  'amir.ali',
  'lena.schmidt',
  'raj.patel',
  'sofia.santos',
  'akira.sato',
  'nadia.moreau',
].map((name) => `${name}@atlas.com`);

export class WorkplaceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkplaceDataError';
  }
}

export interface TableFile {
  file: string;
  name: string;
  columns: readonly string[];
}

const TABLE_FILES = {
  emails: { file: 'emails.csv', name: 'email', columns: EMAIL_COLUMNS },
  calendar: { file: 'calendar_events.csv', name: 'calendar', columns: CALENDAR_COLUMNS },
  analytics: { file: 'analytics_data.csv', name: 'analytics', columns: ANALYTICS_COLUMNS },
  tasks: { file: 'project_tasks.csv', name: 'project_management', columns: TASK_COLUMNS },
  crm: { file: 'customer_relationship_manager_data.csv', name: 'customer_relationship_manager', columns: CRM_COLUMNS },
} satisfies Record<string, TableFile>;

/**
 * `pd.read_csv(path, dtype=str)`: every cell a string, an empty field NaN (`null` here), no trimming.
 * `convertCell` is applied per column afterwards (analytics turns `user_engaged` into a bool).
 */
export function parseTableCsv(spec: TableFile, path: string, text: string, convertCell?: (column: string, cell: Cell) => Cell): TableSnapshot {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    throw new WorkplaceDataError(`${path}: not a valid CSV file: ${(error as Error).message}`);
  }
  const header = records[0];
  if (header === undefined) throw new WorkplaceDataError(`${path}: the file is empty (expected the header ${spec.columns.join(',')})`);
  if (header.length !== spec.columns.length || header.some((column, i) => column !== spec.columns[i])) {
    throw new WorkplaceDataError(`${path}: unexpected header ${header.join(',')} (expected ${spec.columns.join(',')})`);
  }
  const rows: Row[] = [];
  for (let r = 1; r < records.length; r++) {
    const fields = records[r] as string[];
    if (fields.length !== spec.columns.length) {
      throw new WorkplaceDataError(`${path}: record ${r + 1} has ${fields.length} fields (expected ${spec.columns.length})`);
    }
    rows.push(
      fields.map((field, i) => {
        const cell: Cell = field === '' ? null : field;
        return convertCell ? convertCell(spec.columns[i] as string, cell) : cell;
      }),
    );
  }
  return makeSnapshot(spec.name, spec.columns, rows);
}

async function readTable(dataDir: string, spec: TableFile, convertCell?: (column: string, cell: Cell) => Cell): Promise<TableSnapshot> {
  const path = join(dataDir, spec.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (error as Error).message})`;
    throw new WorkplaceDataError(`workplace_assistant data: ${path}: ${reason}`);
  }
  return parseTableCsv(spec, path, text, convertCell);
}

/** Analytics only: `user_engaged` is replaced by `value == "True"` after loading. */
function analyticsCell(column: string, cell: Cell): Cell {
  return column === 'user_engaged' ? cell === 'True' : cell;
}

/** Loads the five processed tables from `dataDir` (the directory holding NeMo Gym's `csv_data/processed/*.csv`). */
export async function loadWorkplaceTables(dataDir: string): Promise<WorkplaceTables> {
  const [emails, calendar, analytics, tasks, crm] = await Promise.all([
    readTable(dataDir, TABLE_FILES.emails),
    readTable(dataDir, TABLE_FILES.calendar),
    readTable(dataDir, TABLE_FILES.analytics, analyticsCell),
    readTable(dataDir, TABLE_FILES.tasks),
    readTable(dataDir, TABLE_FILES.crm),
  ]);
  return { emails, calendar, analytics, tasks, crm, directory: COMPANY_DIRECTORY };
}
