/**
 * Checks of one task line on its own (no knowledge of other lines): JSON, the row's top-level fields, the
 * `responses_create_params` schema NeMo Gym enforces with `extra="forbid"`, tool shapes that endpoints reject,
 * and the ground truth the verifier replays (WORKPLACE_TOOLS.md §7).
 */
import { z } from 'zod';
import { WORKPLACE_TOOL_SCHEMAS } from '../environments/workplace/tool_schemas';
import type { PydanticErrorDetail } from '../schema/pydantic_style';
import { validateResponsesCreateParams } from '../schema/responses';
import { formatFieldPath, type DatasetDiagnostic, type DatasetProblemCode, type DatasetSeverity } from './diagnostic';
import { jsonErrorOffset, locateJsonPath } from './json_locate';
import { repairToolList } from '../schema/tool_schema_repair';
import { declaredToolNames, inspectTools, type ToolProblem } from './tool_checks';
import { isJsonObject } from '../json_object';
import { TaskRecord } from '../schema/task_record';

export { TaskRecord };

const WORKPLACE_TOOL_NAMES: ReadonlySet<string> = new Set(WORKPLACE_TOOL_SCHEMAS.map((schema) => schema.name));

/** Schema diagnostics kept per row; a broken union can otherwise produce dozens. */
const MAX_SCHEMA_DIAGNOSTICS_PER_ROW = 5;

export interface LineAnalysis {
  /** The parsed row when the line is a JSON object with `responses_create_params` (even if other checks fail). */
  record: TaskRecord | null;
  diagnostics: DatasetDiagnostic[];
}

type Path = readonly (string | number)[];

class LineReporter {
  readonly diagnostics: DatasetDiagnostic[] = [];

  constructor(
    private readonly raw: string,
    private readonly line: number,
  ) {}

  /** Reports at the value (or, with `atKey`, the key) found at `path`; the whole line when it cannot be found. */
  at(path: Path, severity: DatasetSeverity, code: DatasetProblemCode, message: string, options: { atKey?: boolean; fixable?: boolean } = {}): void {
    const located = path.length > 0 ? locateJsonPath(this.raw, path) : null;
    const range = (options.atKey ? located?.key : null) ?? located?.value ?? { start: 0, end: this.raw.length };
    const field = path.length > 0 ? formatFieldPath(path) : null;
    this.diagnostics.push({
      line: this.line,
      startColumn: range.start,
      endColumn: Math.max(range.end, range.start + 1),
      severity,
      code,
      field,
      message: field ? `${field}: ${message}` : message,
      fixable: options.fixable ?? false,
    });
  }

  atOffset(offset: number, severity: DatasetSeverity, code: DatasetProblemCode, message: string): void {
    const start = Math.min(offset, Math.max(this.raw.length - 1, 0));
    this.diagnostics.push({ line: this.line, startColumn: start, endColumn: start + 1, severity, code, field: null, message, fixable: false });
  }
}


/** Analyses one line. `raw` must not be blank (callers report blank lines themselves). */
export function analyzeTaskLine(raw: string, line: number): LineAnalysis {
  const report = new LineReporter(raw, line);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(message, raw);
    report.atOffset(offset ?? 0, 'error', 'invalid-json', `invalid JSON: ${message}`);
    return { record: null, diagnostics: report.diagnostics };
  }
  if (!isJsonObject(value)) {
    report.at([], 'error', 'not-an-object', `expected a JSON object (a task row), found ${Array.isArray(value) ? 'an array' : typeof value}`);
    return { record: null, diagnostics: report.diagnostics };
  }

  const parsed = TaskRecord.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
      const message = path[0] === 'responses_create_params' && path.length === 1 && value.responses_create_params === undefined
        ? 'required (the Responses API request of the task)'
        : describeRecordIssue(issue);
      report.at(path, 'error', 'input-schema', message);
    }
  }
  const record = isJsonObject(value.responses_create_params) ? (value as TaskRecord) : null;
  if (record) {
    checkCreateParams(record.responses_create_params, report);
    checkGroundTruth(value, report);
  }
  return { record, diagnostics: report.diagnostics };
}

function describeRecordIssue(issue: z.core.$ZodIssue): string {
  const last = issue.path[issue.path.length - 1];
  switch (last) {
    case 'id':
      return 'expected an integer or a string';
    case 'ground_truth':
      return 'expected a list of {"name", "arguments"} calls, or a string';
    case 'agent_ref':
      return 'expected {"name": "<agent>"}';
    default:
      return issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  }
}

function checkCreateParams(params: Record<string, unknown>, report: LineReporter): void {
  const toolProblems = inspectTools(params.tools);
  for (const problem of toolProblems) reportToolProblem(problem, report);

  // Tool problems are reported above in a readable form; the schema check sees repaired tools so it reports the rest.
  const { tools, repairs } = repairToolList(params.tools);
  const changed = repairs.length > 0;
  const result = validateResponsesCreateParams(changed ? { ...params, tools } : params);
  if (result.ok) return;
  for (const entry of summarizeSchemaDetail(result.detail, params).slice(0, MAX_SCHEMA_DIAGNOSTICS_PER_ROW)) {
    report.at(['responses_create_params', ...entry.path], 'error', 'input-schema', entry.message);
  }
}

function reportToolProblem(problem: ToolProblem, report: LineReporter): void {
  const toolPath = ['responses_create_params', 'tools', problem.toolIndex] as const;
  const named = problem.name ? `tool "${problem.name}"` : 'this tool';
  switch (problem.kind) {
    case 'chat-shaped':
      report.at(
        [...toolPath, 'function'],
        'error',
        'chat-shaped-tool',
        `${named} uses the Chat Completions shape {"type":"function","function":{...}}; the Responses API needs the flat shape {"type","name","description","parameters","strict"} (422 otherwise)`,
        { atKey: true, fixable: true },
      );
      return;
    case 'nonstandard-key':
      report.at(
        [...toolPath, problem.key],
        'error',
        'nonstandard-tool-key',
        `${named} has the non-standard key "${problem.key}"; endpoints answer 422 (a function tool allows only type, name, description, parameters, strict)`,
        { atKey: true, fixable: true },
      );
      return;
    case 'missing-key':
      report.at(toolPath, 'error', 'missing-tool-key', `${named} lacks "${problem.key}", which the Responses schema requires (it may be null)`, {
        fixable: true,
      });
  }
}

interface SchemaEntry {
  path: (string | number)[];
  message: string;
}

/**
 * Turns pydantic-style detail into one entry per field: the `body` prefix and union member names dropped, the
 * messages of one field's union members joined.
 */
function summarizeSchemaDetail(detail: readonly PydanticErrorDetail[], params: Record<string, unknown>): SchemaEntry[] {
  const byField = new Map<string, { path: (string | number)[]; messages: string[]; types: string[] }>();
  for (const entry of detail) {
    const path = valuePath(params, entry.loc[0] === 'body' ? entry.loc.slice(1) : entry.loc);
    const key = formatFieldPath(path);
    const group = byField.get(key) ?? { path, messages: [], types: [] };
    if (!group.messages.includes(entry.msg)) group.messages.push(entry.msg);
    group.types.push(entry.type);
    byField.set(key, group);
  }
  return [...byField.values()].map(({ path, messages, types }) => {
    if (path.length === 1 && path[0] === 'input' && types.includes('string_type') && types.includes('list_type')) {
      return { path, message: 'expected a string or a list of input items' };
    }
    return { path, message: messages.join('; or ') };
  });
}

/** The loc without segments that are not keys of the value (pydantic inserts union member names); the last is kept. */
function valuePath(root: unknown, loc: readonly (string | number)[]): (string | number)[] {
  const path: (string | number)[] = [];
  let current: unknown = root;
  loc.forEach((segment, index) => {
    const last = index === loc.length - 1;
    if (Array.isArray(current) && typeof segment === 'number') {
      path.push(segment);
      current = current[segment];
    } else if (isJsonObject(current) && Object.hasOwn(current, segment)) {
      path.push(segment);
      current = current[segment];
    } else if (last) {
      path.push(segment);
    }
  });
  return path;
}

function checkGroundTruth(row: Record<string, unknown>, report: LineReporter): void {
  if (!('ground_truth' in row)) {
    report.at([], 'warning', 'missing-ground-truth', 'no ground_truth: the workplace verifier needs one (a list of calls, or a string for "no changes")');
    return;
  }
  const calls = row.ground_truth;
  if (!Array.isArray(calls)) return;
  const params = row.responses_create_params as Record<string, unknown>;
  const known = new Set([...WORKPLACE_TOOL_NAMES, ...declaredToolNames(params.tools)]);
  calls.forEach((call, index) => {
    const path = ['ground_truth', index] as const;
    if (!isJsonObject(call)) {
      report.at(path, 'error', 'input-schema', 'expected a {"name", "arguments"} object (the verifier answers 422)');
      return;
    }
    for (const [key, value] of Object.entries(call)) {
      if (typeof value !== 'string') {
        report.at([...path, key], 'error', 'input-schema', 'must be a string (arguments as a JSON string); the verifier answers 422');
      }
    }
    if (typeof call.name !== 'string') {
      if (call.name === undefined) report.at(path, 'error', 'input-schema', 'the call has no "name"');
      return;
    }
    if (!known.has(call.name)) {
      report.at(
        [...path, 'name'],
        'warning',
        'unknown-tool',
        `"${call.name}" is neither one of the row's tools nor a workplace tool; the verifier skips this call`,
      );
    }
    if (typeof call.arguments === 'string') {
      const problem = argumentsProblem(call.arguments);
      if (problem) report.at([...path, 'arguments'], 'warning', 'invalid-arguments', `${problem}; the verifier skips this call`);
    } else if (call.arguments === undefined) {
      report.at(path, 'warning', 'invalid-arguments', 'the call has no "arguments" (a JSON string); the verifier skips this call');
    }
  });
}

function argumentsProblem(argumentsText: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch (error) {
    return `arguments are not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  return isJsonObject(parsed) ? null : 'arguments must be a JSON object';
}
