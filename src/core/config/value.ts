import { ConfigError } from './errors.js';

/**
 * The configuration as plain data: what YAML files, env.yaml and `+key=value` overrides produce. Strings that
 * contain `${...}` are OmegaConf interpolations, kept as they are until `resolve()` is asked for them.
 *
 * Dict keys are always read and written through the helpers below (`getEntry`, `setEntry`), so a key named
 * `__proto__` or `constructor` is an ordinary key and can never reach `Object.prototype`.
 */
export type ConfigScalar = null | boolean | number | string;
export type ConfigValue = ConfigScalar | ConfigValue[] | ConfigDict;
export interface ConfigDict {
  [key: string]: ConfigValue;
}

/** A step in a path through the config: a dict key, or an index into a list. */
export type PathSegment = string | number;

/** True for a mapping (a plain object), false for lists, scalars and null. */
export function isConfigDict(value: unknown): value is ConfigDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own keys only: `toString` or `__proto__` are present only if the config has them. */
export function hasEntry(dict: ConfigDict, key: string): boolean {
  return Object.hasOwn(dict, key);
}

/** The value under an own key, or undefined. */
export function getEntry(dict: ConfigDict, key: string): ConfigValue | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}

/** Sets an own key (defineProperty, so `__proto__` is stored as data and never changes the prototype). */
export function setEntry(dict: ConfigDict, key: string, value: ConfigValue): void {
  Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Removes an own key if present. */
export function deleteEntry(dict: ConfigDict, key: string): void {
  if (Object.hasOwn(dict, key)) delete dict[key];
}

/** The own entries in insertion order. */
export function entriesOf(dict: ConfigDict): [string, ConfigValue][] {
  return Object.entries(dict);
}

/** A deep copy. */
export function cloneValue<T extends ConfigValue>(value: T): T;
export function cloneValue(value: ConfigValue): ConfigValue {
  if (Array.isArray(value)) return value.map((item) => cloneValue(item));
  if (isConfigDict(value)) {
    const copy: ConfigDict = {};
    for (const [key, item] of entriesOf(value)) setEntry(copy, key, cloneValue(item));
    return copy;
  }
  return value;
}

/**
 * OmegaConf.merge for untyped configs: dicts merge key by key (recursively), anything else — lists included —
 * replaces what was there. Returns new data; the inputs are not modified.
 */
export function mergeValue(base: ConfigValue | undefined, over: ConfigValue): ConfigValue {
  if (isConfigDict(base) && isConfigDict(over)) {
    const merged = cloneValue(base);
    for (const [key, value] of entriesOf(over)) setEntry(merged, key, mergeValue(getEntry(merged, key), value));
    return merged;
  }
  return cloneValue(over);
}

/** Merges config layers, lowest precedence first. */
export function mergeConfigs(...layers: readonly ConfigDict[]): ConfigDict {
  let merged: ConfigDict = {};
  for (const layer of layers) merged = mergeValue(merged, layer) as ConfigDict;
  return merged;
}

/** Reads the value at `path`, or undefined when any step is missing. */
export function getAtPath(root: ConfigValue, path: readonly PathSegment[]): ConfigValue | undefined {
  let current: ConfigValue | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = childOf(current, segment);
  }
  return current;
}

/** The child of a dict (by key) or a list (by index, given as a number or a digit string). */
export function childOf(container: ConfigValue, segment: PathSegment): ConfigValue | undefined {
  if (isConfigDict(container)) return getEntry(container, String(segment));
  if (Array.isArray(container)) {
    const index = listIndex(segment);
    return index === undefined ? undefined : container[index];
  }
  return undefined;
}

/** A path segment as a list index (`3` or `"3"`), or undefined when it is not one. */
export function listIndex(segment: PathSegment): number | undefined {
  if (typeof segment === 'number') return Number.isInteger(segment) && segment >= 0 ? segment : undefined;
  return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : undefined;
}

/** `a.b[0].c` — how paths appear in messages. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** A short rendering of a value for error messages. */
export function describeValue(value: ConfigValue | undefined): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (isConfigDict(value)) return 'a mapping';
  return String(value);
}

/**
 * Checks that `input` is plain config data (null, booleans, finite or non-finite numbers, strings, arrays, and
 * plain objects) and copies it into a ConfigValue. Object keys whose value is `undefined` are dropped, like
 * JSON.stringify does. `where` names the source in the error message.
 */
export function toConfigValue(input: unknown, where: string): ConfigValue {
  return convert(input, where, []);
}

function convert(input: unknown, where: string, path: PathSegment[]): ConfigValue {
  if (input === null || typeof input === 'boolean' || typeof input === 'number' || typeof input === 'string') {
    return input;
  }
  if (Array.isArray(input)) return input.map((item, index) => convert(item, where, [...path, index]));
  if (typeof input === 'object') {
    const prototype: unknown = Object.getPrototypeOf(input);
    if (prototype === Object.prototype || prototype === null) {
      const dict: ConfigDict = {};
      for (const [key, value] of Object.entries(input)) {
        if (value !== undefined) setEntry(dict, key, convert(value, where, [...path, key]));
      }
      return dict;
    }
  }
  const at = path.length > 0 ? ` at ${formatPath(path)}` : '';
  const kind = typeof input === 'object' ? (input.constructor?.name ?? 'object') : typeof input;
  throw new ConfigError('value', `${where}: unsupported value${at} (${kind}); configs hold only null, booleans, numbers, strings, lists and mappings.`);
}
