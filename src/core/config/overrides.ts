import { closestKey } from './closest_key.js';
import { ConfigError } from './errors.js';
import { OverrideSyntaxProblem } from './override_lexer.js';
import { parseOverrideValue } from './override_parser.js';
import {
  childOf,
  cloneValue,
  deleteEntry,
  describeValue,
  entriesOf,
  getAtPath,
  hasEntry,
  isConfigDict,
  listIndex,
  mergeValue,
  setEntry,
  type ConfigDict,
  type ConfigValue,
} from './value.js';

/**
 * Hydra command-line overrides, as NeMo Gym's `ng_*` commands take them:
 *
 * | written        | kind        | meaning                                                                |
 * |----------------|-------------|------------------------------------------------------------------------|
 * | `+key=value`   | `add`       | add a key; an error if the command line already set it                |
 * | `++key=value`  | `force-add` | add or override                                                        |
 * | `key=value`    | `change`    | change a key that already exists (in a config file, env.yaml, ...)    |
 * | `~key`         | `delete`    | delete a key (`~key=value`: only if it currently has that value)      |
 *
 * Dotted keys nest (`+responses_create_params.temperature=0.5`); a digit segment indexes a list. Values follow
 * Hydra's grammar (see override_parser.ts).
 */
export type OverrideKind = 'add' | 'force-add' | 'change' | 'delete';

export interface Override {
  kind: OverrideKind;
  /** The key as written, e.g. `responses_create_params.temperature`. */
  key: string;
  /** The key split at the dots. */
  path: string[];
  /** The parsed value; undefined only for `~key` without `=`. */
  value: ConfigValue | undefined;
  /** The argument exactly as given. */
  text: string;
  /** 1-based position among the command's arguments. */
  argumentIndex: number;
}

const KEY_SEGMENT = /^(?:[A-Za-z_$][A-Za-z0-9_\-$]*|0|[1-9][0-9]*)$/;

/**
 * Parses every argument as an override. Errors name the command, the argument, its position and the column:
 * `ng_run: cannot parse override '+limit=[1,' (argument 3): unterminated list (this [ has no closing ])`,
 * followed by the argument and a caret under the column.
 */
export function parseOverrides(argv: readonly string[], command: string): Override[] {
  return argv.map((text, index) => parseOverride(text, index + 1, command));
}

/** Parses one argument (the `argumentIndex`-th, counting from 1); errors as for parseOverrides. */
export function parseOverride(text: string, argumentIndex: number, command: string): Override {
  try {
    return parseOverrideText(text, argumentIndex);
  } catch (error) {
    if (!(error instanceof OverrideSyntaxProblem)) throw error;
    const caret = `\n  ${text}\n  ${' '.repeat(Math.max(0, Math.min(error.column, text.length)))}^`;
    throw new ConfigError('override-syntax', `${command}: cannot parse override '${text}' (argument ${argumentIndex}): ${error.reason}${caret}`);
  }
}

function parseOverrideText(text: string, argumentIndex: number): Override {
  const [kind, prefixLength] = text.startsWith('~')
    ? (['delete', 1] as const)
    : text.startsWith('++')
      ? (['force-add', 2] as const)
      : text.startsWith('+')
        ? (['add', 1] as const)
        : (['change', 0] as const);
  const rest = text.slice(prefixLength);
  const equals = rest.indexOf('=');
  const key = equals < 0 ? rest : rest.slice(0, equals);
  if (equals < 0 && kind !== 'delete') {
    if (text.startsWith('-')) {
      throw new OverrideSyntaxProblem(`this is not an option ng_* commands know; options are written +key=value (e.g. +help=true)`, 0);
    }
    throw new OverrideSyntaxProblem(`missing '='; options are written +key=value`, text.length);
  }
  const path = parseKey(key, prefixLength);
  if (equals < 0) return { kind, key, path, value: undefined, text, argumentIndex };
  const afterEquals = rest.slice(equals + 1);
  const valueText = afterEquals.replace(/^[ \t]+/, '');
  const valueOffset = prefixLength + equals + 1 + (afterEquals.length - valueText.length);
  const value = parseOverrideValue(valueText, valueOffset);
  return { kind, key, path, value, text, argumentIndex };
}

function parseKey(key: string, offset: number): string[] {
  if (key === '') throw new OverrideSyntaxProblem('the key is missing before the =', offset);
  const special = /[/@]/.exec(key);
  if (special) {
    throw new OverrideSyntaxProblem(`'${special[0]}' selects a Hydra config group, and ng_* commands have none; use a plain key such as +my_key=value`, offset + special.index);
  }
  const blank = /\s/.exec(key);
  if (blank) throw new OverrideSyntaxProblem('keys cannot contain spaces', offset + blank.index);
  const path = key.split('.');
  let column = offset;
  for (const segment of path) {
    if (!KEY_SEGMENT.test(segment) || (path.length === 1 && /^[0-9]/.test(segment))) {
      const reason = segment === '' ? 'empty key segment (two dots, or a dot at an end)' : `'${segment}' is not a valid key (letters, digits, _ and -, not starting with a digit)`;
      throw new OverrideSyntaxProblem(reason, column);
    }
    column += segment.length + 1;
  }
  return path;
}

export interface ApplyOverridesOptions {
  /** The command name used in messages (`ng_run`). */
  command: string;
  /**
   * When true, `key=value` on a missing key adds it and `~key` on a missing key does nothing. The loader uses
   * this for its first look at `config_paths`, before the config files are loaded.
   */
  lenient?: boolean;
}

export interface AppliedOverrides {
  /** `base` with every override applied (a new object; `base` is not modified). */
  config: ConfigDict;
  /** What the command line alone set, as Hydra would hold it. */
  commandLine: ConfigDict;
}

/**
 * Applies overrides, in order, onto `base` — the config files, env.yaml and any programmatic config, already
 * merged. Values merge as OmegaConf.update(merge=True) does: a dict merges into an existing dict, anything else
 * replaces.
 *
 * Hydra's `+` rule is "error if an item is already there, unless the existing value is null or the new value is
 * a list or a dict". NeMo Gym applies the command line to an *empty* Hydra config and merges the result over
 * the files and env.yaml, so in NeMo Gym `+key` only conflicts with an earlier argument. We keep that: `+key`
 * is checked against what the command line already set (so `+policy_base_url=...` still overrides env.yaml,
 * exactly as with NeMo Gym), while `key=value` and `~key` — which would always fail in NeMo Gym — work on keys
 * defined anywhere in `base` and fail with an explanation when the key exists nowhere.
 */
export function applyOverrides(base: ConfigDict, overrides: readonly Override[], options: ApplyOverridesOptions): AppliedOverrides {
  const config = cloneValue(base);
  const commandLine: ConfigDict = {};
  const setBy: Override[] = [];
  for (const override of overrides) {
    const fail = (reason: string) =>
      new ConfigError('override-apply', `${options.command}: cannot apply '${override.text}' (argument ${override.argumentIndex}): ${reason}`);
    switch (override.kind) {
      case 'add': {
        const value = override.value ?? null;
        const existing = getAtPath(commandLine, override.path);
        if (existing !== undefined && existing !== null && !isConfigDict(value) && !Array.isArray(value)) {
          const earlier = [...setBy].reverse().find((candidate) => isPrefix(candidate.path, override.path));
          const source = earlier ? `argument ${earlier.argumentIndex} ('${earlier.text}')` : 'an earlier argument';
          throw fail(
            `${source} already set '${override.key}'. A single + adds a key that is not set yet; ` +
              `write ++${override.text.slice(1)} to add or override it.`,
          );
        }
        setAtPath(config, override.path, value, fail);
        setAtPath(commandLine, override.path, value, fail);
        setBy.push(override);
        break;
      }
      case 'force-add': {
        const value = override.value ?? null;
        setAtPath(config, override.path, value, fail);
        setAtPath(commandLine, override.path, value, fail);
        setBy.push(override);
        break;
      }
      case 'change': {
        const value = override.value ?? null;
        if (!pathExists(config, override.path) && !options.lenient) throw fail(missingKeyReason(config, override, 'change'));
        setAtPath(config, override.path, value, fail);
        setAtPath(commandLine, override.path, value, fail);
        setBy.push(override);
        break;
      }
      case 'delete': {
        if (!pathExists(config, override.path)) {
          if (options.lenient) break;
          throw fail(missingKeyReason(config, override, 'delete'));
        }
        const existing = getAtPath(config, override.path) ?? null;
        if (override.value !== undefined && !valuesEqual(existing, override.value)) {
          throw fail(`'${override.key}' is ${describeValue(existing)}, not ${describeValue(override.value)}, so it was not deleted.`);
        }
        deleteAtPath(config, override.path);
        if (pathExists(commandLine, override.path)) deleteAtPath(commandLine, override.path);
        break;
      }
    }
  }
  return { config, commandLine };
}

/** Top-level keys the command line set (for per-command option checking). */
export function commandLineKeys(overrides: readonly Override[]): string[] {
  const keys: string[] = [];
  for (const override of overrides) {
    const top = override.path[0];
    if (override.kind !== 'delete' && top !== undefined && !keys.includes(top)) keys.push(top);
  }
  return keys;
}

function missingKeyReason(config: ConfigDict, override: Override, action: 'change' | 'delete'): string {
  const parentPath = override.path.slice(0, -1);
  const parent = getAtPath(config, parentPath);
  const last = override.path[override.path.length - 1]!;
  const suggestion = isConfigDict(parent) ? closestKey(last, entriesOf(parent).map(([key]) => key)) : undefined;
  const didYouMean = suggestion === undefined ? '' : ` Did you mean '${[...parentPath, suggestion].join('.')}'?`;
  if (action === 'delete') return `there is no '${override.key}' in the config to delete.${didYouMean}`;
  const written = override.text;
  return (
    `there is no '${override.key}' in the config. A bare key=value changes a key that a config file, env.yaml or an ` +
    `earlier argument already defines (Hydra's override); to add a new key write +${written} (or ++${written} to add or override).${didYouMean}`
  );
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

function pathExists(root: ConfigDict, path: readonly string[]): boolean {
  const parent = getAtPath(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (isConfigDict(parent)) return hasEntry(parent, last);
  if (Array.isArray(parent)) {
    const index = listIndex(last);
    return index !== undefined && index < parent.length;
  }
  return false;
}

function setAtPath(root: ConfigDict, path: readonly string[], value: ConfigValue, fail: (reason: string) => ConfigError): void {
  let container: ConfigValue = root;
  for (let depth = 0; depth < path.length - 1; depth++) {
    const segment = path[depth]!;
    let child = childOf(container, segment);
    if (child === undefined) {
      if (!isConfigDict(container)) throw fail(`${path.slice(0, depth).join('.')} has no item ${segment}.`);
      child = {};
      setEntry(container, segment, child);
    }
    if (!isConfigDict(child) && !Array.isArray(child)) {
      throw fail(`'${path.slice(0, depth + 1).join('.')}' is ${describeValue(child)}, not a mapping, so it cannot hold '${path.slice(depth + 1).join('.')}'.`);
    }
    container = child;
  }
  const last = path[path.length - 1]!;
  if (isConfigDict(container)) {
    setEntry(container, last, mergeValue(childOf(container, last), value));
    return;
  }
  if (Array.isArray(container)) {
    const index = listIndex(last);
    if (index === undefined || index >= container.length) {
      throw fail(`'${path.slice(0, -1).join('.')}' is a list of ${container.length} items; ${last} is not one of its indices.`);
    }
    container[index] = mergeValue(container[index], value);
  }
}

function deleteAtPath(root: ConfigDict, path: readonly string[]): void {
  const parent = getAtPath(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (isConfigDict(parent)) deleteEntry(parent, last);
  else if (Array.isArray(parent)) {
    const index = listIndex(last);
    if (index !== undefined) parent.splice(index, 1);
  }
}

function valuesEqual(a: ConfigValue, b: ConfigValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => valuesEqual(item, b[index]!));
  if (isConfigDict(a) && isConfigDict(b)) {
    const aEntries = entriesOf(a);
    return aEntries.length === entriesOf(b).length && aEntries.every(([key, item]) => hasEntry(b, key) && valuesEqual(item, b[key]!));
  }
  return Object.is(a, b) || a === b;
}
