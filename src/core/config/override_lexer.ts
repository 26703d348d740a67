/**
 * The value side of Hydra's override grammar (hydra/grammar/OverrideLexer.g4, VALUE_MODE), re-implemented:
 * at every position each token rule is tried, the longest match wins, and a tie goes to the rule listed first
 * — ANTLR's rule. That is what makes `true` a BOOL rather than an ID, `1e-3` a FLOAT rather than INT+ID, and
 * `010` two INT tokens (and therefore the string "010").
 *
 * One deliberate superset: letters outside ASCII are accepted in unquoted words (Hydra rejects `café`).
 */

export type OverrideTokenType =
  | 'POPEN'
  | 'COMMA'
  | 'PCLOSE'
  | 'BRACKET_OPEN'
  | 'BRACKET_CLOSE'
  | 'BRACE_OPEN'
  | 'BRACE_CLOSE'
  | 'COLON'
  | 'EQUAL'
  | 'FLOAT'
  | 'INT'
  | 'BOOL'
  | 'NULL'
  | 'UNQUOTED_CHAR'
  | 'ID'
  | 'ESC'
  | 'WS'
  | 'QUOTED_VALUE'
  | 'INTERPOLATION';

export interface OverrideToken {
  type: OverrideTokenType;
  text: string;
  /** Offset of the first character in the whole argument (for error carets). */
  start: number;
}

/** A syntax problem at a column of the argument; overrides.ts turns it into the user-facing message. */
export class OverrideSyntaxProblem extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(reason);
  }
}

const INT_UNSIGNED = '(?:0|[1-9](?:_?[0-9])*)';
const DIGITS = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][+-]?${DIGITS}`;
// POINT_FLOAT is tried before a bare INT_UNSIGNED mantissa so that the regex finds the longest float.
const FLOAT = `[+-]?(?:(?:${INT_UNSIGNED}?\\.${DIGITS}|${INT_UNSIGNED}\\.)(?:${EXPONENT})?|${INT_UNSIGNED}${EXPONENT}|[Ii][Nn][Ff]|[Nn][Aa][Nn])`;

type Matcher = (text: string, at: number) => number;

function sticky(source: string): Matcher {
  const pattern = new RegExp(source, 'uy');
  return (text, at) => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    return match ? match[0].length : 0;
  };
}

/** Hydra's QUOTED_VALUE: ends at the first matching quote preceded by an even number of backslashes. */
function matchQuoted(text: string, at: number): number {
  const quote = text[at];
  if (quote !== "'" && quote !== '"') return 0;
  let backslashes = 0;
  for (let index = at + 1; index < text.length; index++) {
    const char = text[index];
    if (char === quote && backslashes % 2 === 0) return index - at + 1;
    backslashes = char === '\\' ? backslashes + 1 : 0;
  }
  return 0;
}

/** Hydra's INTERPOLATION: `${` then at least one character up to the first `}` (no nesting). */
function matchInterpolation(text: string, at: number): number {
  if (text[at] !== '$' || text[at + 1] !== '{') return 0;
  const close = nextCloseBrace(text, at + 2);
  return close > at + 2 ? close - at + 1 : 0;
}

// The index of the next `}` at or after each position, computed once per value so that lexing stays linear.
let braceIndexText: string | undefined;
let braceIndex: Int32Array = new Int32Array(0);

function nextCloseBrace(text: string, from: number): number {
  if (text !== braceIndexText) {
    braceIndexText = text;
    braceIndex = new Int32Array(text.length + 1).fill(-1);
    for (let index = text.length - 1; index >= 0; index--) braceIndex[index] = text[index] === '}' ? index : braceIndex[index + 1]!;
  }
  return braceIndex[from] ?? -1;
}

// Listed in the grammar's order, which breaks ties between equally long matches.
const RULES: readonly (readonly [OverrideTokenType, Matcher])[] = [
  ['POPEN', sticky('[ \\t]*\\([ \\t]*')],
  ['COMMA', sticky('[ \\t]*,[ \\t]*')],
  ['PCLOSE', sticky('[ \\t]*\\)')],
  ['BRACKET_OPEN', sticky('\\[[ \\t]*')],
  ['BRACKET_CLOSE', sticky('[ \\t]*\\]')],
  ['BRACE_OPEN', sticky('\\{[ \\t]*')],
  ['BRACE_CLOSE', sticky('[ \\t]*\\}')],
  ['COLON', sticky('[ \\t]*:[ \\t]*')],
  ['EQUAL', sticky('[ \\t]*=[ \\t]*')],
  ['FLOAT', sticky(FLOAT)],
  ['INT', sticky(`[+-]?${INT_UNSIGNED}`)],
  ['BOOL', sticky('(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])')],
  ['NULL', sticky('[Nn][Uu][Ll][Ll]')],
  ['UNQUOTED_CHAR', sticky('[/\\-\\\\+.$%*@?|]')],
  ['ID', sticky('(?:[A-Za-z_]|[^\\x00-\\x7F])(?:[A-Za-z0-9_\\-]|[^\\x00-\\x7F])*')],
  ['ESC', sticky('(?:\\\\\\\\|\\\\[()\\[\\]{}:=, \\t])+')],
  ['WS', sticky('[ \\t]+')],
  ['QUOTED_VALUE', matchQuoted],
  ['INTERPOLATION', matchInterpolation],
];

/** Splits the value part of an override into tokens. `offset` is where the value starts in the argument. */
export function lexOverrideValue(value: string, offset: number): OverrideToken[] {
  const tokens: OverrideToken[] = [];
  let at = 0;
  while (at < value.length) {
    let bestType: OverrideTokenType | undefined;
    let bestLength = 0;
    for (const [type, match] of RULES) {
      const length = match(value, at);
      if (length > bestLength) {
        bestType = type;
        bestLength = length;
      }
    }
    if (bestType === undefined) throw unexpectedCharacter(value, at, offset);
    tokens.push({ type: bestType, text: value.slice(at, at + bestLength), start: offset + at });
    at += bestLength;
  }
  return tokens;
}

function unexpectedCharacter(value: string, at: number, offset: number): OverrideSyntaxProblem {
  const char = value[at] ?? '';
  if (char === "'" || char === '"') {
    return new OverrideSyntaxProblem(`unterminated quoted string (the ${char} has no closing ${char})`, offset + at);
  }
  if (char === '\\') {
    return new OverrideSyntaxProblem(`a lone backslash at the end of the value; write \\\\ for a backslash`, offset + at);
  }
  const shown = char === '\n' ? 'a newline' : char === '\r' ? 'a carriage return' : `'${char}'`;
  return new OverrideSyntaxProblem(`${shown} is not allowed in an unquoted value; quote the value, e.g. '...'`, offset + at);
}
