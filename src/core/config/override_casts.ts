import { OverrideSyntaxProblem, type OverrideToken } from './override_lexer.js';
import { pyFloatRepr } from './py_format.js';

/** Hydra's cast functions (hydra/_internal/grammar/grammar_functions.py): `int()`, `float()`, `str()`, `bool()`. */

/** A parsed value that still knows Hydra's types (int versus float), which the cast functions need. */
export type TypedValue =
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'list'; items: TypedValue[] }
  | { type: 'dict'; entries: [string, TypedValue][] };

const SWEEP_FUNCTIONS = new Set(['choice', 'range', 'interval', 'glob', 'shuffle', 'sort', 'tag', 'extend_list']);

/** Python's float(str): blanks around, underscores between digits, inf/infinity/nan in any case. */
export function parsePythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(trimmed);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/.test(trimmed)) {
    return undefined;
  }
  return Number(trimmed.replace(/_/g, ''));
}

/** Python's int(str): blanks around, an optional sign, decimal digits with single underscores between them. */
function parsePythonInt(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?[0-9](?:_?[0-9])*$/.test(trimmed) ? Number(trimmed.replace(/_/g, '')) : undefined;
}

/** Evaluates `name(args)`; sweeps and unknown functions are syntax problems at the name. */
export function evaluateCall(nameToken: OverrideToken, args: TypedValue[], kwargs: Map<string, TypedValue>): TypedValue {
  const name = nameToken.text;
  const cast = CASTS[name];
  if (cast === undefined) {
    if (SWEEP_FUNCTIONS.has(name)) {
      throw new OverrideSyntaxProblem(`${name}(...) is a sweep, which needs Hydra's --multirun; ng_* commands run one configuration`, nameToken.start);
    }
    throw new OverrideSyntaxProblem(
      `unknown function '${name}' (supported: int, float, str, bool); to use the text as it is, quote the value`,
      nameToken.start,
    );
  }
  const named = kwargs.get('value');
  const unknownKeyword = [...kwargs.keys()].find((key) => key !== 'value');
  if (unknownKeyword !== undefined) throw new OverrideSyntaxProblem(`${name}() got an unexpected keyword argument '${unknownKeyword}'`, nameToken.start);
  if (named !== undefined && args.length > 0) throw new OverrideSyntaxProblem(`${name}() takes a positional argument or value=, not both`, nameToken.start);
  const argument = named ?? args[0];
  if (argument === undefined) throw new OverrideSyntaxProblem(`${name}() needs a value`, nameToken.start);
  if (args.length > 1) {
    throw new OverrideSyntaxProblem(`${name}() with several values is a sweep, which needs Hydra's --multirun; ng_* commands run one configuration`, nameToken.start);
  }
  return castDeep(argument, cast, (reason) => new OverrideSyntaxProblem(`${name}(): ${reason}`, nameToken.start));
}

type ScalarCast = (value: Exclude<TypedValue, { type: 'list' | 'dict' }>) => TypedValue | string;

function castDeep(value: TypedValue, cast: ScalarCast, fail: (reason: string) => OverrideSyntaxProblem): TypedValue {
  if (value.type === 'list') return { type: 'list', items: value.items.map((item) => castDeep(item, cast, fail)) };
  if (value.type === 'dict') return { type: 'dict', entries: value.entries.map(([key, item]) => [key, castDeep(item, cast, fail)]) };
  const result = cast(value);
  if (typeof result === 'string') throw fail(result);
  return result;
}

const CASTS: Readonly<Record<string, ScalarCast>> = {
  int(value) {
    switch (value.type) {
      case 'int':
        return value;
      case 'bool':
        return { type: 'int', value: value.value ? 1 : 0 };
      case 'float':
        return Number.isFinite(value.value) ? { type: 'int', value: Math.trunc(value.value) } : `cannot convert ${pyFloatRepr(value.value)} to an int`;
      case 'string': {
        const parsed = parsePythonInt(value.value);
        return parsed === undefined ? `'${value.value}' is not an int` : { type: 'int', value: parsed };
      }
      case 'null':
        return 'cannot convert null';
    }
  },
  float(value) {
    switch (value.type) {
      case 'float':
        return value;
      case 'int':
        return { type: 'float', value: value.value };
      case 'bool':
        return { type: 'float', value: value.value ? 1 : 0 };
      case 'string': {
        const parsed = parsePythonFloat(value.value);
        return parsed === undefined ? `'${value.value}' is not a float` : { type: 'float', value: parsed };
      }
      case 'null':
        return 'cannot convert null';
    }
  },
  str(value) {
    switch (value.type) {
      case 'string':
        return value;
      case 'bool':
        return { type: 'string', value: value.value ? 'true' : 'false' };
      case 'int':
        return { type: 'string', value: String(value.value) };
      case 'float':
        return { type: 'string', value: pyFloatRepr(value.value) };
      case 'null':
        return 'cannot convert null';
    }
  },
  bool(value) {
    switch (value.type) {
      case 'bool':
        return value;
      case 'int':
      case 'float':
        return { type: 'bool', value: value.value !== 0 };
      case 'string': {
        const lowered = value.value.toLowerCase();
        if (lowered === 'true' || lowered === 'false') return { type: 'bool', value: lowered === 'true' };
        return `cannot convert '${value.value}' to a bool (use true or false)`;
      }
      case 'null':
        return 'cannot convert null';
    }
  },
};
