import { z } from 'zod';

/**
 * Pydantic-style validation on top of zod: FastAPI's 422 `detail` entries and unions whose errors name the member
 * that was tried (pydantic puts the member's class name into `loc`, e.g. `["body","tools",3,"FunctionToolParam",
 * "database"]`).
 */

/** One entry of a FastAPI 422 body: `{"detail": [PydanticErrorDetail, ...]}`. */
export interface PydanticErrorDetail {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export interface NamedUnionMember<S extends z.ZodType = z.ZodType> {
  /** The class name pydantic would put into `loc` (e.g. `FunctionToolParam`). */
  name: string;
  schema: S;
}

/** Which members to try for an input, in order; or `unmatched` with what the input's tag should have been. */
export type MemberSelection = { members: readonly string[] } | { unmatched: { key: string; allowed: readonly string[] } };

/**
 * A union whose failures report one member's issues, prefixed with that member's name. `select` plays the part
 * of pydantic's tag matching: it narrows the members to try (e.g. by `type`); of the members tried, the first
 * that parses wins, and if none does, the one with the fewest issues is reported. Parsing returns that member's
 * output, so stripping of unknown keys follows the member schema.
 */
export function namedUnion<const M extends readonly NamedUnionMember[]>(
  members: M,
  select: (input: unknown) => MemberSelection,
): z.ZodType<z.output<M[number]['schema']>, unknown> {
  type Out = z.output<M[number]['schema']>;
  const byName = new Map(members.map((member) => [member.name, member]));
  return z.unknown().transform((input, ctx): Out => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({ code: 'invalid_type', expected: 'object', input, path: [] });
      return z.NEVER;
    }
    const selection = select(input);
    if ('unmatched' in selection) {
      const { key, allowed } = selection.unmatched;
      ctx.addIssue({ code: 'invalid_value', values: [...allowed], input: (input as Record<string, unknown>)[key], path: [key] });
      return z.NEVER;
    }
    let best: { name: string; issues: z.core.$ZodIssue[] } | undefined;
    for (const name of selection.members) {
      const member = byName.get(name);
      if (!member) throw new Error(`namedUnion: unknown member ${name}`);
      const result = member.schema.safeParse(input, { reportInput: true });
      if (result.success) return result.data as Out;
      if (!best || result.error.issues.length < best.issues.length) best = { name, issues: result.error.issues };
    }
    if (best) {
      const name = best.name;
      for (const issue of best.issues) ctx.addIssue({ ...issue, path: [name, ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
    }
    return z.NEVER;
  });
}

type Loc = (string | number)[];

function toLoc(path: readonly PropertyKey[]): Loc {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

/**
 * The value at `path` in `root`. Path segments that are not keys of the current object are union member names
 * inserted by {@link namedUnion}, and are skipped; a missing last key gives undefined unless `endsWithTag`.
 */
function valueAt(root: unknown, path: Loc, endsWithTag = false): unknown {
  let current = root;
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1 && !endsWithTag;
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else if (!isLast && typeof segment === 'string' && current !== null && typeof current === 'object') continue;
    else return undefined;
  }
  return current;
}

/** Python's repr of a JSON scalar, as pydantic prints expected literal values. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return String(value);
}

/** pydantic's "'a', 'b' or 'c'". */
function pythonChoiceList(values: readonly unknown[]): string {
  const reprs = values.map(pythonRepr);
  if (reprs.length <= 1) return reprs.join('');
  return `${reprs.slice(0, -1).join(', ')} or ${reprs.at(-1)}`;
}

const TYPE_ERRORS: Record<string, { type: string; msg: string }> = {
  string: { type: 'string_type', msg: 'Input should be a valid string' },
  number: { type: 'float_type', msg: 'Input should be a valid number' },
  int: { type: 'int_type', msg: 'Input should be a valid integer' },
  boolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  object: { type: 'dict_type', msg: 'Input should be a valid dictionary' },
  record: { type: 'dict_type', msg: 'Input should be a valid dictionary' },
  array: { type: 'list_type', msg: 'Input should be a valid list' },
  null: { type: 'none_required', msg: 'Input should be None' },
};

/**
 * How relevant a failed union branch is (lower is better): a branch that failed inside the value beats one that
 * rejected the value as a whole; of those, a wrong literal beats a wrong JSON type; then fewer issues win.
 */
function branchScore(issues: readonly z.core.$ZodIssue[]): number {
  const shallow = issues.every((issue) => issue.path.length === 0);
  const typeMismatch = issues.every((issue) => issue.code === 'invalid_type');
  return (shallow ? 2000 : 0) + (shallow && typeMismatch ? 1000 : 0) + issues.length;
}

function isRootTypeMismatch(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.length === 1 && issues[0]!.code === 'invalid_type' && issues[0]!.path.length === 0;
}

function mapIssue(issue: z.core.$ZodIssue, root: unknown, basePath: Loc, out: PydanticErrorDetail[]): void {
  const path = [...basePath, ...toLoc(issue.path)];
  const input = 'input' in issue ? issue.input : valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const container = input ?? valueAt(root, path);
      for (const key of issue.keys) {
        out.push({
          type: 'extra_forbidden',
          loc: [...path, key],
          msg: 'Extra inputs are not permitted',
          input: (container as Record<string, unknown> | undefined)?.[key],
        });
      }
      return;
    }
    case 'invalid_type': {
      if (input === undefined) {
        out.push({ type: 'missing', loc: path, msg: 'Field required', input: valueAt(root, path.slice(0, -1), true) ?? null });
        return;
      }
      if (path.length === 0 && issue.expected === 'object') {
        out.push({ type: 'model_attributes_type', loc: path, msg: 'Input should be a valid dictionary or object to extract fields from', input });
        return;
      }
      const known = TYPE_ERRORS[issue.expected] ?? { type: `${issue.expected}_type`, msg: `Input should be a valid ${issue.expected}` };
      out.push({ type: known.type, loc: path, msg: known.msg, input });
      return;
    }
    case 'invalid_value': {
      const expected = pythonChoiceList(issue.values);
      out.push({ type: 'literal_error', loc: path, msg: `Input should be ${expected}`, input, ctx: { expected } });
      return;
    }
    case 'invalid_union': {
      const branches = issue.errors;
      if (branches.length > 0 && branches.every(isRootTypeMismatch)) {
        // pydantic lists what each member expected ("a valid string", "a valid list"); a missing value once.
        if (valueAt(root, path) === undefined) mapIssue(branches[0]![0]!, root, path, out);
        else for (const branch of branches) mapIssue(branch[0]!, root, path, out);
        return;
      }
      const best = branches.reduce((a, b) => (branchScore(b) < branchScore(a) ? b : a));
      for (const inner of best) mapIssue(inner, root, path, out);
      return;
    }
    case 'too_small': {
      const bound = Number(issue.minimum);
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') {
        out.push({ type: 'too_short', loc: path, msg: `List should have at least ${bound} items`, input, ctx: { min_length: bound } });
      } else {
        out.push({
          type: inclusive ? 'greater_than_equal' : 'greater_than',
          loc: path,
          msg: `Input should be greater than${inclusive ? ' or equal to' : ''} ${bound}`,
          input,
          ctx: inclusive ? { ge: bound } : { gt: bound },
        });
      }
      return;
    }
    case 'too_big': {
      const bound = Number(issue.maximum);
      const inclusive = issue.inclusive !== false;
      out.push({
        type: inclusive ? 'less_than_equal' : 'less_than',
        loc: path,
        msg: `Input should be less than${inclusive ? ' or equal to' : ''} ${bound}`,
        input,
        ctx: inclusive ? { le: bound } : { lt: bound },
      });
      return;
    }
    case 'custom':
      out.push({ type: 'value_error', loc: path, msg: `Value error, ${issue.message}`, input, ctx: { error: issue.message } });
      return;
    default:
      out.push({ type: issue.code, loc: path, msg: issue.message, input });
  }
}

/**
 * Converts zod issues into FastAPI/pydantic 422 `detail` entries. `root` is the validated value (used for the
 * `input` of missing fields); `locPrefix` is where it sits in the request (`["body"]` for a JSON body).
 */
export function toPydanticDetail(issues: readonly z.core.$ZodIssue[], root: unknown, locPrefix: Loc = ['body']): PydanticErrorDetail[] {
  const out: PydanticErrorDetail[] = [];
  for (const issue of issues) mapIssue(issue, root, [], out);
  return out.map((detail) => ({ ...detail, loc: [...locPrefix, ...detail.loc] }));
}

/** Validates `body` with `schema`, returning the parsed value or pydantic-style 422 `detail` entries. */
export function validatePydanticStyle<S extends z.ZodType>(
  schema: S,
  body: unknown,
  locPrefix: Loc = ['body'],
): { ok: true; value: z.output<S> } | { ok: false; detail: PydanticErrorDetail[] } {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, detail: toPydanticDetail(result.error.issues, body, locPrefix) };
}
