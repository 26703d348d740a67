import { basename } from 'node:path';
import { readTaskFile, parseTaskLine, type RowError } from '../dataset/task_rows';
import { sanitizeTaskLine } from '../dataset/sanitize';

export interface LoadedInputRow {
  line: number;
  /** The line as written (the task identity), before any sanitizing. */
  raw: string;
  row: Record<string, unknown> | null;
  error: RowError | null;
}

export interface LoadInputOptions {
  /** First N rows; 0 or null: all. */
  limit?: number | null;
  /** Strip non-standard tool keys before validating (the rows are then sent sanitized). */
  sanitizeToolSchemas?: boolean;
  signal?: AbortSignal;
  onNotice?: (message: string) => void;
}

/** Reads every row of a task file up to the limit, each parsed and checked, without stopping at bad rows. */
export async function loadInputRows(path: string, options: LoadInputOptions = {}): Promise<LoadedInputRow[]> {
  const rows: LoadedInputRow[] = [];
  const toolLists = new ToolListInterner();
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  for await (const line of readTaskFile(path, options.signal ? { signal: options.signal } : {})) {
    if (rows.length >= limit) break;
    if (line.byteOrderMark) options.onNotice?.(`${basename(path)} starts with a UTF-8 byte-order mark; it is ignored.`);
    let parsed = line.parsed;
    if (options.sanitizeToolSchemas) {
      const sanitized = sanitizeTaskLine(line.raw).text;
      if (sanitized !== null) parsed = parseTaskLine(sanitized, path, line.line);
    }
    rows.push(
      parsed.ok
        ? { line: line.line, raw: line.raw, row: toolLists.intern(parsed.row.record as Record<string, unknown>), error: null }
        : { line: line.line, raw: line.raw, row: null, error: parsed.error },
    );
  }
  return rows;
}

export class InputFileError extends Error {
  constructor(
    readonly errors: RowError[],
    file: string,
  ) {
    const shown = errors.slice(0, 20).map((error) => `  ${error.message}`);
    const more = errors.length > 20 ? [`  ... and ${errors.length - 20} more`] : [];
    super(
      [`${basename(file)}: ${errors.length} invalid row${errors.length === 1 ? '' : 's'}; nothing was sent to the model.`, ...shown, ...more,
        'Fix the rows, or pass +skip_invalid_rows=true to record them in the failures file and collect the rest.'].join('\n'),
    );
    this.name = 'InputFileError';
  }
}

/**
 * Rows of a dataset almost always carry the same 27 tool schemas; keeping one copy of each distinct list
 * saves most of a large run's memory, and lets the model server validate a list once per run.
 */
class ToolListInterner {
  private readonly lists = new Map<string, unknown[]>();

  intern(row: Record<string, unknown>): Record<string, unknown> {
    const params = row.responses_create_params;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return row;
    const tools = (params as Record<string, unknown>).tools;
    if (!Array.isArray(tools)) return row;
    const key = JSON.stringify(tools);
    const shared = this.lists.get(key);
    if (!shared) {
      this.lists.set(key, tools);
      return row;
    }
    return { ...row, responses_create_params: { ...params, tools: shared } };
  }
}
