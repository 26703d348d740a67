/** What Validate Dataset reports about a task file: editor-free, one entry per problem, each on its line. */

export type DatasetSeverity = 'error' | 'warning' | 'information';

export type DatasetProblemCode =
  | 'invalid-json'
  | 'invalid-utf8'
  | 'blank-line'
  | 'not-an-object'
  /** A row field NeMo Gym's schemas reject (top-level fields or `responses_create_params`). */
  | 'input-schema'
  | 'missing-ground-truth'
  | 'nonstandard-tool-key'
  | 'chat-shaped-tool'
  | 'missing-tool-key'
  | 'unknown-tool'
  | 'invalid-arguments'
  | 'duplicate-id'
  | 'duplicate-line';

/** Problems a sanitized copy repairs (`sanitize.ts`); a diagnostic with one of these codes is `fixable`. */
export const SANITIZABLE_CODES: ReadonlySet<DatasetProblemCode> = new Set<DatasetProblemCode>(['nonstandard-tool-key', 'chat-shaped-tool', 'missing-tool-key', 'blank-line']);

export interface DatasetDiagnostic {
  /** 1-based line number. */
  line: number;
  /** 0-based UTF-16 columns within the line, end exclusive; the whole line when nothing narrower is known. */
  startColumn: number;
  endColumn: number;
  severity: DatasetSeverity;
  code: DatasetProblemCode;
  /** Dotted path of the field at fault (`responses_create_params.tools[3].database`), or null for the line. */
  field: string | null;
  message: string;
  /** True when a sanitized copy repairs it (see `sanitize.ts`). */
  fixable: boolean;
}

/** `responses_create_params.tools[3].database` from `['responses_create_params','tools',3,'database']`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text.length === 0 ? segment : `.${segment}`;
  }
  return text;
}
