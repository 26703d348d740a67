/**
 * OmegaConf's interpolation syntax (omegaconf/grammar/OmegaConfGrammar*.g4), the parts NeMo Gym configs use:
 *
 * - `${a.b.c}` and `${a[0]}` — a key path from the root; `${.sibling}`, `${..uncle}` — relative to the node's
 *   parent; a key may itself be an interpolation (`${models.${which}}`);
 * - `${name:arg,arg}` — a resolver call (`${oc.env:VAR}`, `${oc.env:VAR,default}`); arguments are quoted strings
 *   ('...' or "..." with \' \" \\ escapes, interpolations allowed inside), nested interpolations, or unquoted text
 *   typed like YAML-ish primitives (null, true, 1, 1.5); `\,` `\}` `\\` and friends escape in unquoted text;
 * - text around interpolations (`http://${host}:${port}`); `\${` is a literal `${`, and `\\${x}` is a backslash
 *   followed by the value of x. Other backslashes are literal (so Windows paths survive).
 *
 * Lists and dicts as resolver arguments are not supported.
 */

export type InterpolationNode =
  | { kind: 'reference'; up: number; keys: KeyPart[]; source: string }
  | { kind: 'resolver'; name: string; args: ResolverArgument[]; source: string };

export type KeyPart = { kind: 'key'; key: string } | { kind: 'nested'; node: InterpolationNode };

export type TextPart = { kind: 'text'; text: string } | { kind: 'interpolation'; node: InterpolationNode };

export interface ResolverArgument {
  parts: TextPart[];
  /** True for '...' and "..." arguments, which are always strings. */
  quoted: boolean;
  /** The argument as written (trimmed), used for the text form of a typed default. */
  source: string;
}

export class InterpolationSyntaxProblem extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(reason);
  }
}

/** True when OmegaConf would treat the string as an interpolation (it contains `${`). */
export function hasInterpolation(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** True when the whole string is one interpolation, whose value then keeps its own type. */
export function isSingleInterpolation(parts: readonly TextPart[]): boolean {
  return parts.length === 1 && parts[0]!.kind === 'interpolation';
}

const cache = new Map<string, TextPart[]>();

/** Splits a config string into literal text and interpolations. */
export function parseInterpolatedString(value: string): TextPart[] {
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const parser = new InterpolationParser(value);
  const parts = parser.parseTopLevel();
  if (cache.size > 10_000) cache.clear();
  cache.set(value, parts);
  return parts;
}

const RESOLVER_NAME = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*/y;
const KEY_CHARS = /[^\\{}()[\]:. \t'"]+/y;
const BLANKS = /[ \t]*/y;
const UNQUOTED_ESCAPES = new Set(['\\', '(', ')', '[', ']', '{', '}', ':', '=', ',', ' ', '\t']);

class InterpolationParser {
  private at = 0;

  constructor(private readonly text: string) {}

  parseTopLevel(): TextPart[] {
    const parts: TextPart[] = [];
    let literal = '';
    while (this.at < this.text.length) {
      const char = this.text[this.at]!;
      if (char === '\\') {
        const run = this.countBackslashes();
        if (this.text.startsWith('${', this.at + run)) {
          literal += '\\'.repeat(Math.floor(run / 2));
          this.at += run;
          if (run % 2 === 1) {
            literal += '${';
            this.at += 2;
          }
        } else {
          literal += '\\'.repeat(run);
          this.at += run;
        }
        continue;
      }
      if (this.text.startsWith('${', this.at)) {
        if (literal !== '') parts.push({ kind: 'text', text: literal });
        literal = '';
        parts.push({ kind: 'interpolation', node: this.parseInterpolation() });
        continue;
      }
      literal += char;
      this.at++;
    }
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    return parts;
  }

  private countBackslashes(): number {
    let end = this.at;
    while (this.text[end] === '\\') end++;
    return end - this.at;
  }

  /** At `${`; returns with `at` just past the closing `}`. */
  private parseInterpolation(): InterpolationNode {
    const start = this.at;
    this.at += 2;
    this.skipBlanks();
    RESOLVER_NAME.lastIndex = this.at;
    const name = RESOLVER_NAME.exec(this.text);
    if (name !== null) {
      const afterName = this.at + name[0].length;
      BLANKS.lastIndex = afterName;
      const afterBlanks = afterName + (BLANKS.exec(this.text)?.[0].length ?? 0);
      if (this.text[afterBlanks] === ':') {
        this.at = afterBlanks + 1;
        const args = this.parseArguments(start);
        return { kind: 'resolver', name: name[0], args, source: this.text.slice(start, this.at) };
      }
    }
    return this.parseReference(start);
  }

  private parseReference(start: number): InterpolationNode {
    let up = 0;
    while (this.text[this.at] === '.') {
      up++;
      this.at++;
    }
    const keys: KeyPart[] = [];
    let expectKey = true;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) throw new InterpolationSyntaxProblem('unterminated interpolation (no closing })', start);
      if (expectKey) {
        if (char === '[') {
          this.at++;
          keys.push(this.parseKey(start));
          if (this.text[this.at] !== ']') throw this.problem("expected ']'");
          this.at++;
        } else {
          keys.push(this.parseKey(start));
        }
        expectKey = false;
        continue;
      }
      if (char === '.') {
        this.at++;
        expectKey = true;
        continue;
      }
      if (char === '[') {
        expectKey = true;
        continue;
      }
      this.skipBlanks();
      if (this.text[this.at] === '}') {
        this.at++;
        return { kind: 'reference', up, keys, source: this.text.slice(start, this.at) };
      }
      throw this.problem(`unexpected ${this.describeHere()} in an interpolation`);
    }
  }

  private parseKey(start: number): KeyPart {
    if (this.text.startsWith('${', this.at)) return { kind: 'nested', node: this.parseInterpolation() };
    KEY_CHARS.lastIndex = this.at;
    const match = KEY_CHARS.exec(this.text);
    if (match === null) {
      if (this.at >= this.text.length) throw new InterpolationSyntaxProblem('unterminated interpolation (no closing })', start);
      throw this.problem(this.text[this.at] === '}' ? 'empty key in an interpolation' : `unexpected ${this.describeHere()} in an interpolation key`);
    }
    this.at += match[0].length;
    return { kind: 'key', key: match[0] };
  }

  /** After `name:`; returns past the closing `}`. */
  private parseArguments(start: number): ResolverArgument[] {
    const args: ResolverArgument[] = [];
    this.skipBlanks();
    if (this.text[this.at] === '}') {
      this.at++;
      return args;
    }
    for (;;) {
      args.push(this.parseArgument(start));
      this.skipBlanks();
      const char = this.text[this.at];
      if (char === undefined) throw new InterpolationSyntaxProblem('unterminated resolver call (no closing })', start);
      this.at++;
      if (char === '}') return args;
      if (char !== ',') throw this.problem(`expected ',' or '}' after a resolver argument, found '${char}'`, -1);
    }
  }

  private parseArgument(start: number): ResolverArgument {
    this.skipBlanks();
    const char = this.text[this.at];
    if (char === "'" || char === '"') return this.parseQuotedArgument(char);
    if (char === '[' || char === '{') throw this.problem('lists and dicts as resolver arguments are not supported');
    const argumentStart = this.at;
    const parts: TextPart[] = [];
    let literal = '';
    for (;;) {
      const here = this.text[this.at];
      if (here === undefined) throw new InterpolationSyntaxProblem('unterminated resolver call (no closing })', start);
      if (here === ',' || here === '}') break;
      if (this.text.startsWith('${', this.at)) {
        if (literal !== '') parts.push({ kind: 'text', text: literal });
        literal = '';
        parts.push({ kind: 'interpolation', node: this.parseInterpolation() });
        continue;
      }
      if (here === '\\' && this.at + 1 < this.text.length && UNQUOTED_ESCAPES.has(this.text[this.at + 1]!)) {
        literal += this.text[this.at + 1];
        this.at += 2;
        continue;
      }
      if (here === "'" || here === '"') throw this.problem('a quoted string must be a whole resolver argument');
      literal += here;
      this.at++;
    }
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    trimTextEnds(parts);
    return { parts, quoted: false, source: this.text.slice(argumentStart, this.at).trim() };
  }

  private parseQuotedArgument(quote: string): ResolverArgument {
    const start = this.at;
    this.at++;
    const parts: TextPart[] = [];
    let literal = '';
    for (;;) {
      const here = this.text[this.at];
      if (here === undefined) throw new InterpolationSyntaxProblem(`unterminated quoted string (the ${quote} has no closing ${quote})`, start);
      if (here === quote) {
        this.at++;
        break;
      }
      if (here === '\\' && (this.text[this.at + 1] === quote || this.text[this.at + 1] === '\\')) {
        literal += this.text[this.at + 1];
        this.at += 2;
        continue;
      }
      if (this.text.startsWith('${', this.at)) {
        if (literal !== '') parts.push({ kind: 'text', text: literal });
        literal = '';
        parts.push({ kind: 'interpolation', node: this.parseInterpolation() });
        continue;
      }
      literal += here;
      this.at++;
    }
    if (literal !== '' || parts.length === 0) parts.push({ kind: 'text', text: literal });
    return { parts, quoted: true, source: this.text.slice(start, this.at) };
  }

  private skipBlanks(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }

  private describeHere(): string {
    const char = this.text[this.at];
    return char === undefined ? 'end of text' : `'${char}'`;
  }

  private problem(reason: string, shift = 0): InterpolationSyntaxProblem {
    return new InterpolationSyntaxProblem(reason, this.at + shift);
  }
}

function trimTextEnds(parts: TextPart[]): void {
  const first = parts[0];
  if (first?.kind === 'text') first.text = first.text.trimStart();
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.text = last.text.trimEnd();
  if (first?.kind === 'text' && first.text === '') parts.shift();
  const end = parts[parts.length - 1];
  if (end?.kind === 'text' && end.text === '') parts.pop();
}
