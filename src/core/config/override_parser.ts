import { OverrideSyntaxProblem, lexOverrideValue, type OverrideToken, type OverrideTokenType } from './override_lexer.js';
import { evaluateCall, parsePythonFloat, type TypedValue } from './override_casts.js';
import { setEntry, type ConfigDict, type ConfigValue } from './value.js';

/**
 * Hydra's override value grammar (hydra/grammar/OverrideParser.g4) and its typing rules
 * (hydra/core/override_parser/overrides_visitor.py), re-implemented:
 *
 * - a value that is exactly one INT / FLOAT / BOOL / NULL token is typed (`5`, `1_000`, `-1e-3`, `inf`, `TRUE`,
 *   `null`); anything made of several tokens is a string with leading and trailing blanks removed (`010`,
 *   `1.2.3`, `https://host/v1`, `a b`);
 * - a quoted value is always a string; only backslashes right before a quote are escapes in it;
 * - `\,` `\ ` `\=` `\:` `\\` `\(` `\)` `\[` `\]` `\{` `\}` are escapes in unquoted values;
 * - `[a,b]` lists and `{k: v}` dicts nest freely; `${...}` stays a string (resolved later, by interpolation.ts);
 * - the cast functions `int()`, `float()`, `str()`, `bool()` work as in Hydra; sweeps (`a,b`, `choice()`,
 *   `range()`, ...) need --multirun, which the ng_* commands do not have, so they are errors.
 */

/** Parses the text after `=` (which starts at `offset` in the argument) into a config value. */
export function parseOverrideValue(text: string, offset: number): ConfigValue {
  return typedToConfigValue(parseTypedOverrideValue(text, offset));
}

function parseTypedOverrideValue(text: string, offset: number): TypedValue {
  const tokens = lexOverrideValue(text, offset);
  if (tokens.length === 0) return { type: 'string', value: '' };
  const parser = new ValueParser(tokens, offset + text.length);
  return parser.parseValue();
}

function typedToConfigValue(value: TypedValue): ConfigValue {
  switch (value.type) {
    case 'null':
      return null;
    case 'bool':
    case 'int':
    case 'float':
    case 'string':
      return value.value;
    case 'list':
      return value.items.map(typedToConfigValue);
    case 'dict': {
      const dict: ConfigDict = {};
      for (const [key, item] of value.entries) setEntry(dict, key, typedToConfigValue(item));
      return dict;
    }
  }
}

const PRIMITIVE_TOKENS: ReadonlySet<OverrideTokenType> = new Set([
  'ID',
  'NULL',
  'INT',
  'FLOAT',
  'BOOL',
  'INTERPOLATION',
  'UNQUOTED_CHAR',
  'COLON',
  'ESC',
  'WS',
]);
const DICT_KEY_TOKENS: ReadonlySet<OverrideTokenType> = new Set(['ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'UNQUOTED_CHAR', 'ESC', 'WS']);

class ValueParser {
  private position = 0;

  constructor(
    private readonly tokens: readonly OverrideToken[],
    private readonly endColumn: number,
  ) {}

  parseValue(): TypedValue {
    const first = this.parseElement();
    const next = this.peek();
    if (next === undefined) return first;
    if (next.type === 'COMMA') {
      throw new OverrideSyntaxProblem(
        "a comma outside brackets would make this a sweep (Hydra's --multirun), which ng_* commands do not run; " +
          "write a list as [a,b], or quote the value to keep the comma in a string",
        next.start,
      );
    }
    throw this.unexpected(next, 'the end of the value');
  }

  private parseElement(): TypedValue {
    const token = this.peek();
    if (token === undefined) throw new OverrideSyntaxProblem('a value is missing here', this.endColumn);
    if (token.type === 'ID' && this.peek(1)?.type === 'POPEN') return this.parseCall();
    if (token.type === 'BRACKET_OPEN') return this.parseList();
    if (token.type === 'BRACE_OPEN') return this.parseDict();
    if (token.type === 'QUOTED_VALUE') {
      this.position++;
      return { type: 'string', value: unescapeQuoted(token.text) };
    }
    if (PRIMITIVE_TOKENS.has(token.type)) return this.parsePrimitive();
    throw this.unexpected(token, 'a value');
  }

  private parsePrimitive(): TypedValue {
    const start = this.position;
    while (this.position < this.tokens.length && PRIMITIVE_TOKENS.has(this.tokens[this.position]!.type)) this.position++;
    return typePrimitive(this.tokens.slice(start, this.position));
  }

  private parseList(): TypedValue {
    const open = this.take();
    const items: TypedValue[] = [];
    if (this.peek()?.type === 'BRACKET_CLOSE') {
      this.position++;
      return { type: 'list', items };
    }
    for (;;) {
      if (this.peek() === undefined) throw new OverrideSyntaxProblem('unterminated list (this [ has no closing ])', open.start);
      items.push(this.parseElement());
      const next = this.peek();
      if (next === undefined) throw new OverrideSyntaxProblem('unterminated list (this [ has no closing ])', open.start);
      this.position++;
      if (next.type === 'BRACKET_CLOSE') return { type: 'list', items };
      if (next.type !== 'COMMA') throw this.unexpected(next, "',' or ']'");
    }
  }

  private parseDict(): TypedValue {
    const open = this.take();
    const unterminated = () => {
      const previous = this.tokens[this.tokens.indexOf(open) - 1];
      const isInterpolation = previous?.type === 'UNQUOTED_CHAR' && previous.text === '$' && previous.start === open.start - 1;
      return isInterpolation
        ? new OverrideSyntaxProblem('unterminated interpolation (this ${ has no closing })', open.start - 1)
        : new OverrideSyntaxProblem('unterminated dict (this { has no closing })', open.start);
    };
    const entries: [string, TypedValue][] = [];
    if (this.peek()?.type === 'BRACE_CLOSE') {
      this.position++;
      return { type: 'dict', entries };
    }
    for (;;) {
      const keyToken = this.peek();
      if (keyToken === undefined) throw unterminated();
      const key = this.parseDictKey();
      const colon = this.peek();
      if (colon === undefined) throw unterminated();
      if (colon.type !== 'COLON') throw this.unexpected(colon, `':' after the dict key '${key}'`);
      this.position++;
      if (this.peek() === undefined) throw unterminated();
      const value = this.parseElement();
      const existing = entries.findIndex(([name]) => name === key);
      if (existing >= 0) entries.splice(existing, 1);
      entries.push([key, value]);
      const next = this.peek();
      if (next === undefined) throw unterminated();
      this.position++;
      if (next.type === 'BRACE_CLOSE') return { type: 'dict', entries };
      if (next.type !== 'COMMA') throw this.unexpected(next, "',' or '}'");
    }
  }

  /** Dict keys are always strings here (Hydra would type `{1: a}` as an int key; JS objects cannot). */
  private parseDictKey(): string {
    const token = this.peek();
    if (token?.type === 'QUOTED_VALUE') {
      this.position++;
      return unescapeQuoted(token.text);
    }
    const start = this.position;
    while (this.position < this.tokens.length && DICT_KEY_TOKENS.has(this.tokens[this.position]!.type)) this.position++;
    const keyTokens = trimBlankTokens(this.tokens.slice(start, this.position));
    if (keyTokens.length === 0) {
      throw token === undefined ? new OverrideSyntaxProblem('a dict key is missing', this.endColumn) : this.unexpected(token, 'a dict key');
    }
    return keyTokens.map(tokenText).join('');
  }

  private parseCall(): TypedValue {
    const nameToken = this.take();
    const open = this.take();
    const args: TypedValue[] = [];
    const kwargs = new Map<string, TypedValue>();
    const unterminated = () => new OverrideSyntaxProblem(`unterminated call ${nameToken.text}( (no closing ))`, open.start);
    if (this.peek()?.type === 'PCLOSE') {
      this.position++;
    } else {
      for (;;) {
        if (this.peek() === undefined) throw unterminated();
        const argName = this.peek()?.type === 'ID' && this.peek(1)?.type === 'EQUAL' ? this.take().text : undefined;
        if (argName !== undefined) this.position++;
        else if (kwargs.size > 0) throw new OverrideSyntaxProblem('positional argument follows keyword argument', this.peek()!.start);
        const value = this.parseElement();
        if (argName !== undefined) kwargs.set(argName, value);
        else args.push(value);
        const next = this.peek();
        if (next === undefined) throw unterminated();
        this.position++;
        if (next.type === 'PCLOSE') break;
        if (next.type !== 'COMMA') throw this.unexpected(next, "',' or ')'");
      }
    }
    return evaluateCall(nameToken, args, kwargs);
  }

  private peek(ahead = 0): OverrideToken | undefined {
    return this.tokens[this.position + ahead];
  }

  private take(): OverrideToken {
    const token = this.tokens[this.position];
    if (token === undefined) throw new OverrideSyntaxProblem('unexpected end of the value', this.endColumn);
    this.position++;
    return token;
  }

  private unexpected(token: OverrideToken, expected: string): OverrideSyntaxProblem {
    if (token.type === 'EQUAL') {
      return new OverrideSyntaxProblem(`'=' cannot appear unquoted in a value; quote the value or escape it as \\=`, token.start + token.text.indexOf('='));
    }
    const previous = this.tokens[this.tokens.indexOf(token) - 1];
    const touchesPrevious = previous !== undefined && previous.start + previous.text.length === token.start;
    if (token.type === 'BRACE_OPEN' && touchesPrevious && previous.text === '$') {
      return new OverrideSyntaxProblem('unterminated interpolation (this ${ has no closing })', previous.start);
    }
    if (token.type === 'BRACE_CLOSE' && touchesPrevious && previous.type === 'INTERPOLATION') {
      return new OverrideSyntaxProblem(
        'an interpolation nested in another one must be quoted, e.g. \'${oc.env:A,${b}}\' (unquoted, the first } ends it)',
        previous.start,
      );
    }
    if (token.type === 'QUOTED_VALUE' || previous?.type === 'QUOTED_VALUE') {
      return new OverrideSyntaxProblem(
        `a quoted string must be a whole value; found ${describeToken(token)} next to it (quote the whole value instead)`,
        token.start,
      );
    }
    return new OverrideSyntaxProblem(`expected ${expected} but found ${describeToken(token)}`, token.start + leadingBlanks(token.text));
  }
}

function describeToken(token: OverrideToken): string {
  const text = token.text.trim();
  if (token.type === 'QUOTED_VALUE') return `the quoted string ${token.text}`;
  return text === '' ? 'a space' : `'${text}'`;
}

function leadingBlanks(text: string): number {
  return text.length - text.trimStart().length;
}

function trimBlankTokens(tokens: OverrideToken[]): OverrideToken[] {
  let start = 0;
  let end = tokens.length;
  while (start < end && tokens[start]!.type === 'WS') start++;
  while (end > start && tokens[end - 1]!.type === 'WS') end--;
  return tokens.slice(start, end);
}

function tokenText(token: OverrideToken): string {
  // ESC tokens are pairs: a backslash and the escaped character.
  if (token.type === 'ESC') return [...token.text].filter((_, index) => index % 2 === 1).join('');
  return token.text;
}

function typePrimitive(tokens: OverrideToken[]): TypedValue {
  const meaningful = trimBlankTokens(tokens);
  if (meaningful.length === 0) throw new OverrideSyntaxProblem('a value cannot be only spaces; quote it', tokens[0]?.start ?? 0);
  if (meaningful.length > 1) return { type: 'string', value: meaningful.map(tokenText).join('') };
  const token = meaningful[0]!;
  switch (token.type) {
    case 'INT':
      return { type: 'int', value: Number(token.text.replace(/_/g, '')) };
    case 'FLOAT':
      return { type: 'float', value: parsePythonFloat(token.text) ?? Number.NaN };
    case 'BOOL':
      return { type: 'bool', value: token.text.toLowerCase() === 'true' };
    case 'NULL':
      return { type: 'null' };
    default:
      return { type: 'string', value: tokenText(token) };
  }
}

/**
 * Hydra's quoted-string unescaping: a run of backslashes right before a quote of the same kind is halved (an
 * odd run also yields the quote); every other backslash is literal, so `'C:\temp'` stays `C:\temp`.
 */
function unescapeQuoted(quoted: string): string {
  const quote = quoted[0]!;
  const content = quoted.slice(1, -1);
  let result = '';
  let index = 0;
  while (index < content.length) {
    if (content[index] !== '\\') {
      result += content[index];
      index++;
      continue;
    }
    let end = index;
    while (content[end] === '\\') end++;
    const run = end - index;
    if (content[end] === quote) {
      result += '\\'.repeat(Math.floor(run / 2)) + quote;
      index = end + 1;
    } else if (end === content.length) {
      result += '\\'.repeat(Math.floor(run / 2));
      index = end;
    } else {
      result += '\\'.repeat(run);
      index = end;
    }
  }
  return result;
}
