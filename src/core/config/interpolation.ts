import { ConfigError } from './errors.js';
import {
  InterpolationSyntaxProblem,
  hasInterpolation,
  isSingleInterpolation,
  parseInterpolatedString,
  type InterpolationNode,
  type ResolverArgument,
  type TextPart,
} from './interpolation_grammar.js';
import { pyStr } from './py_format.js';
import { childOf, entriesOf, formatPath, isConfigDict, listIndex, setEntry, type ConfigDict, type ConfigValue, type PathSegment } from './value.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveOptions {
  /** Variables for `${oc.env:...}`; defaults to process.env. */
  env?: Env;
}

/** An interpolation that cannot be resolved; `message` says which key, where it is used, and how to fix it. */
export class InterpolationError extends ConfigError {
  constructor(
    message: string,
    /** The node whose interpolation failed (dotted), when known. */
    readonly usedBy: string | undefined,
    /** The key that is not set, for missing-key errors. */
    readonly missingKey?: string,
  ) {
    super('interpolation', message);
    this.name = 'InterpolationError';
  }
}

/** OmegaConf's mark for "mandatory, not set yet". */
export const MISSING_VALUE = '???';

/**
 * Resolves the interpolations in the value at `path` (a dotted string or segments; the whole config when
 * omitted), lazily: only that subtree and whatever it refers to are resolved. A value that is exactly one
 * interpolation takes the type of its target (an int stays an int, a dict stays a dict); interpolations inside
 * longer strings are formatted as Python's str() would. References to keys that are not set, unset
 * environment variables, `???` values and cycles throw an InterpolationError with a one-paragraph explanation.
 */
export function resolve(config: ConfigDict, path?: string | readonly PathSegment[], options: ResolveOptions = {}): ConfigValue {
  const segments = typeof path === 'string' ? splitPath(path) : [...(path ?? [])];
  return new Resolution(config, options.env ?? process.env).resolvePath(segments, undefined);
}

/** The whole config with every interpolation resolved. */
export function resolveConfig(config: ConfigDict, options: ResolveOptions = {}): ConfigDict {
  return resolve(config, [], options) as ConfigDict;
}

/** Splits `a.b.0` into segments; an empty string is the root. */
export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/**
 * Every key path that a `${...}` anywhere in the config refers to (absolute; relative references are made
 * absolute; the part of a path after a nested interpolation is dropped). Unparseable strings are skipped.
 */
export function referencedPaths(config: ConfigDict): string[][] {
  const found: string[][] = [];
  const visit = (value: ConfigValue, path: PathSegment[]) => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isConfigDict(value)) for (const [key, item] of entriesOf(value)) visit(item, [...path, key]);
    else if (hasInterpolation(value)) {
      let parts: TextPart[];
      try {
        parts = parseInterpolatedString(value);
      } catch {
        return;
      }
      for (const part of parts) if (part.kind === 'interpolation') collectReferences(part.node, path, found);
    }
  };
  visit(config, []);
  return found;
}

function collectReferences(node: InterpolationNode, usedBy: readonly PathSegment[], found: string[][]): void {
  if (node.kind === 'resolver') {
    for (const arg of node.args) for (const part of arg.parts) if (part.kind === 'interpolation') collectReferences(part.node, usedBy, found);
    if (node.name === 'oc.select') {
      const key = node.args[0];
      const only = key?.parts.length === 1 ? key.parts[0] : undefined;
      if (only?.kind === 'text') found.push(splitPath(only.text));
    }
    return;
  }
  const keys: string[] = [];
  for (const part of node.keys) {
    if (part.kind === 'nested') {
      collectReferences(part.node, usedBy, found);
      break;
    }
    keys.push(part.key);
  }
  const base = node.up === 0 ? [] : usedBy.slice(0, Math.max(0, usedBy.length - node.up)).map(String);
  if (base.length + keys.length > 0) found.push([...base, ...keys]);
}

const RESOLVERS: Readonly<Record<string, (resolution: Resolution, args: EvaluatedArgument[], usedBy: PathSegment[], source: string) => ConfigValue>> = {
  'oc.env': (resolution, args, usedBy, source) => resolution.environmentVariable(args, usedBy, source),
  'oc.select': (resolution, args, usedBy, source) => resolution.select(args, usedBy, source),
};

interface EvaluatedArgument {
  value: ConfigValue;
  /** The text form, for `oc.env` defaults: quoted content, or the argument as written. */
  text: string;
  source: string;
}

class Resolution {
  private readonly resolved = new Map<string, ConfigValue>();
  private readonly inProgress: PathSegment[][] = [];

  constructor(
    private readonly root: ConfigDict,
    private readonly env: Env,
  ) {}

  /** Resolves the node at `path`; `usedBy` is the node whose interpolation asked for it (for messages). */
  resolvePath(path: readonly PathSegment[], usedBy: readonly PathSegment[] | undefined, source?: string): ConfigValue {
    let current: ConfigValue = this.root;
    for (let depth = 0; depth < path.length; depth++) {
      if (depth > 0 && hasInterpolation(current)) {
        // An intermediate node is itself an interpolation: resolve it, then keep walking the result.
        const container = this.resolveNode(current, path.slice(0, depth));
        return this.walkResolved(container, path, depth, usedBy, source);
      }
      const child = childOf(current, path[depth]!);
      if (child === undefined) throw this.notFound(path, depth, current, usedBy, source);
      current = child;
    }
    return this.resolveNode(current, path);
  }

  private walkResolved(container: ConfigValue, path: readonly PathSegment[], from: number, usedBy: readonly PathSegment[] | undefined, source?: string): ConfigValue {
    let current = container;
    for (let depth = from; depth < path.length; depth++) {
      const child = childOf(current, path[depth]!);
      if (child === undefined) throw this.notFound(path, depth, current, usedBy, source);
      current = child;
    }
    return current;
  }

  private resolveNode(raw: ConfigValue, path: readonly PathSegment[]): ConfigValue {
    const cacheKey = path.map(String).join('\u0000');
    const done = this.resolved.get(cacheKey);
    if (done !== undefined) return done;
    const cycleStart = this.inProgress.findIndex((entry) => entry.length === path.length && entry.every((segment, index) => String(segment) === String(path[index])));
    if (cycleStart >= 0) {
      const chain = [...this.inProgress.slice(cycleStart), path].map((entry) => formatPath(entry)).join(' -> ');
      throw new InterpolationError(`Interpolation cycle: ${chain}. Set one of these keys to a plain value to break the loop.`, formatPath(path));
    }
    this.inProgress.push([...path]);
    try {
      const value = this.resolveRaw(raw, path);
      this.resolved.set(cacheKey, value);
      return value;
    } finally {
      this.inProgress.pop();
    }
  }

  private resolveRaw(raw: ConfigValue, path: readonly PathSegment[]): ConfigValue {
    if (Array.isArray(raw)) return raw.map((item, index) => this.resolveNode(item, [...path, index]));
    if (isConfigDict(raw)) {
      const dict: ConfigDict = {};
      for (const [key, item] of entriesOf(raw)) setEntry(dict, key, this.resolveNode(item, [...path, key]));
      return dict;
    }
    if (raw === MISSING_VALUE) {
      const name = formatPath(path);
      throw new InterpolationError(
        `${name} is required but not set (it is '???'). Pass +${name}=... on the command line or set it in env.yaml or a config file.`,
        name,
        name,
      );
    }
    if (hasInterpolation(raw)) return this.resolveString(raw, path);
    return raw;
  }

  private resolveString(value: string, path: readonly PathSegment[]): ConfigValue {
    let parts: TextPart[];
    try {
      parts = parseInterpolatedString(value);
    } catch (error) {
      if (!(error instanceof InterpolationSyntaxProblem)) throw error;
      const where = formatPath(path);
      throw new InterpolationError(`Cannot read the interpolation in ${where || 'the config'} (${JSON.stringify(value)}): ${error.reason} at character ${error.column + 1}.`, where);
    }
    return this.evaluateParts(parts, [...path]);
  }

  private evaluateParts(parts: readonly TextPart[], usedBy: PathSegment[]): ConfigValue {
    if (isSingleInterpolation(parts)) return this.evaluate((parts[0] as { node: InterpolationNode }).node, usedBy);
    return parts.map((part) => (part.kind === 'text' ? part.text : pyStr(this.evaluate(part.node, usedBy)))).join('');
  }

  private evaluate(node: InterpolationNode, usedBy: PathSegment[]): ConfigValue {
    if (node.kind === 'resolver') {
      const resolver = RESOLVERS[node.name];
      if (resolver === undefined) {
        throw new InterpolationError(
          `${formatPath(usedBy)} uses the resolver '${node.name}' (${node.source}), which is not available here; the supported resolvers are ${Object.keys(RESOLVERS).join(' and ')}.`,
          formatPath(usedBy),
        );
      }
      return resolver(this, node.args.map((arg) => this.evaluateArgument(arg, usedBy)), usedBy, node.source);
    }
    const keys = node.keys.map((part) => (part.kind === 'key' ? part.key : this.keyFromInterpolation(part.node, usedBy)));
    let target: PathSegment[];
    if (node.up === 0) target = keys;
    else {
      const levelsAboveParent = node.up - 1;
      const parent = usedBy.slice(0, -1);
      if (levelsAboveParent > parent.length) {
        throw new InterpolationError(`${formatPath(usedBy)} refers to ${node.source}, which goes above the top of the config.`, formatPath(usedBy));
      }
      target = [...parent.slice(0, parent.length - levelsAboveParent), ...keys];
    }
    return this.resolvePath(target, usedBy, node.source);
  }

  private keyFromInterpolation(node: InterpolationNode, usedBy: PathSegment[]): string {
    const key = this.evaluate(node, usedBy);
    if (typeof key === 'string' || typeof key === 'number') return String(key);
    throw new InterpolationError(`${formatPath(usedBy)}: ${node.source} is used as a key name but its value is not a string.`, formatPath(usedBy));
  }

  private evaluateArgument(arg: ResolverArgument, usedBy: PathSegment[]): EvaluatedArgument {
    if (arg.quoted) {
      const text = arg.parts.map((part) => (part.kind === 'text' ? part.text : pyStr(this.evaluate(part.node, usedBy)))).join('');
      return { value: text, text, source: arg.source };
    }
    if (arg.parts.length === 0) return { value: '', text: '', source: arg.source };
    const only = arg.parts.length === 1 ? arg.parts[0] : undefined;
    if (only?.kind === 'text') return { value: typeUnquotedArgument(only.text), text: only.text, source: arg.source };
    const value = this.evaluateParts(arg.parts, usedBy);
    return { value, text: typeof value === 'string' ? value : pyStr(value), source: arg.source };
  }

  /** `${oc.env:VAR}` and `${oc.env:VAR,default}`: a string, or null when the default is null. */
  environmentVariable(args: EvaluatedArgument[], usedBy: PathSegment[], source: string): ConfigValue {
    const [name, fallback] = args;
    if (name === undefined || typeof name.value !== 'string' || name.value === '' || args.length > 2) {
      throw new InterpolationError(`${formatPath(usedBy)}: ${source} should be \${oc.env:NAME} or \${oc.env:NAME,default}.`, formatPath(usedBy));
    }
    const value = this.env[name.value];
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback.value === null ? null : fallback.text;
    throw new InterpolationError(
      `The environment variable ${name.value} is not set (used by ${formatPath(usedBy)}). ` +
        `Export it, or give a default: \${oc.env:${name.value},<default>}.`,
      formatPath(usedBy),
      name.value,
    );
  }

  /** `${oc.select:key}` and `${oc.select:key,default}`: the value at `key`, or the default (null) if not set. */
  select(args: EvaluatedArgument[], usedBy: PathSegment[], source: string): ConfigValue {
    const [key, fallback] = args;
    if (key === undefined || typeof key.value !== 'string' || args.length > 2) {
      throw new InterpolationError(`${formatPath(usedBy)}: ${source} should be \${oc.select:key} or \${oc.select:key,default}.`, formatPath(usedBy));
    }
    let target: PathSegment[] = splitPath(key.value);
    const leadingDots = /^\.+/.exec(key.value)?.[0].length ?? 0;
    if (leadingDots > 0) {
      const parent = usedBy.slice(0, -1);
      target = [...parent.slice(0, Math.max(0, parent.length - (leadingDots - 1))), ...splitPath(key.value.slice(leadingDots))];
    }
    try {
      return this.resolvePath(target, usedBy, source);
    } catch (error) {
      if (error instanceof InterpolationError && error.missingKey === formatPath(target)) return fallback?.value ?? null;
      throw error;
    }
  }

  private notFound(path: readonly PathSegment[], depth: number, parent: ConfigValue, usedBy: readonly PathSegment[] | undefined, source?: string): InterpolationError {
    const name = formatPath(path);
    if (usedBy === undefined) return new InterpolationError(`${name} is not in the config.`, undefined, name);
    const user = formatPath(usedBy);
    const reference = source !== undefined && source !== `\${${name}}` ? ` through ${source}` : '';
    const scalarParent = depth > 0 && !isConfigDict(parent) && !Array.isArray(parent);
    if (scalarParent) {
      return new InterpolationError(
        `${name} cannot be looked up (used by ${user}${reference}): ${formatPath(path.slice(0, depth))} is ${JSON.stringify(parent)}, not a mapping.`,
        user,
        name,
      );
    }
    if (Array.isArray(parent) && listIndex(path[depth]!) === undefined) {
      return new InterpolationError(`${name} cannot be looked up (used by ${user}${reference}): ${formatPath(path.slice(0, depth))} is a list; use a number to index it.`, user, name);
    }
    return new InterpolationError(
      `${name} is not set (used by ${user}${reference}). Pass +${name}=... on the command line or put it in env.yaml.`,
      user,
      name,
    );
  }
}

/** OmegaConf types unquoted resolver arguments: null, booleans, ints and floats; anything else is a string. */
function typeUnquotedArgument(text: string): ConfigValue {
  if (/^null$/i.test(text)) return null;
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (/^[+-]?(?:0|[1-9](?:_?[0-9])*)$/.test(text)) return Number(text.replace(/_/g, ''));
  if (/^[+-]?(?:inf|nan)$/i.test(text)) return text.toLowerCase().endsWith('nan') ? Number.NaN : text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?(?:(?:(?:0|[1-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|(?:0|[1-9](?:_?[0-9])*)\.)(?:[eE][+-]?[0-9](?:_?[0-9])*)?|(?:0|[1-9](?:_?[0-9])*)[eE][+-]?[0-9](?:_?[0-9])*)$/.test(text)) {
    return Number(text.replace(/_/g, ''));
  }
  return text;
}
