import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { loadEnvYaml } from './env_yaml.js';
import { ConfigError } from './errors.js';
import { resolve, type Env } from './interpolation.js';
import { applyOverrides, commandLineKeys, parseOverrides, type Override } from './overrides.js';
import { describeValue, getEntry, isConfigDict, mergeConfigs, setEntry, toConfigValue, type ConfigDict, type ConfigValue } from './value.js';
import { readConfigYamlFile } from './yaml_io.js';
import { NEMO_GYM_CONFIG_ALIASES, nemoGymConfigAlias } from './nemo_gym_paths.js';

export const CONFIG_PATHS_KEY = 'config_paths';

export interface LoadGlobalConfigOptions {
  /** The command's arguments, all Hydra overrides (`+key=value`, `++key=value`, `key=value`, `~key`). */
  argv: string[];
  cwd: string;
  /** Where Gym Rollouts is installed: the second place config paths and env.yaml are looked for. */
  installRoot: string;
  /** For `${oc.env:...}` in `config_paths`. */
  env: Env;
  /** A programmatic config (NeMo-RL's `initial_global_config_dict`), merged under the command line. */
  initial?: object;
  /** The command name used in messages; defaults to `ng`. */
  command?: string;
}

export interface LoadedConfig {
  /** Everything merged; interpolations are not resolved (see interpolation.ts). */
  config: ConfigDict;
  /** The final `config_paths`: the requested ones, then the ones they pulled in, without duplicates. */
  configPaths: string[];
  /** The files that were read, absolute, in merge order (lowest precedence first). */
  configFiles: string[];
  /** The env.yaml that was read, if any. */
  envYamlPath: string | undefined;
  overrides: Override[];
  /** Top-level keys the command line set: the ones to check against the command's known options. */
  commandLineKeys: string[];
}

/**
 * Builds the global config the way NeMo Gym's GlobalConfigDictParser does. Precedence, low to high:
 *
 * 1. the files named by `config_paths`. Each entry is looked for relative to `cwd`, then `installRoot`. A file
 *    may list more files in its own `config_paths`; they are appended to the list (once each) and loaded too.
 *    A file overrides the files it pulled in, and a later entry overrides an earlier one together with
 *    everything it pulled in (NeMo Gym's current rule; v0.2 let an included file override its includer);
 * 2. env.yaml (cwd's, else the install root's);
 * 3. `initial`, then the command line.
 *
 * `config_paths` itself is taken from env.yaml + `initial` + the command line, with interpolations resolved,
 * so `+config_paths=${my_paths}` can name a list kept in env.yaml; a single string is accepted as a one-item
 * list. The final list is written back to `config_paths`. Dicts merge key by key; lists and scalars replace.
 *
 * Throws ConfigError for malformed overrides (naming the argument and column), missing config files (naming
 * both places looked in), malformed YAML (file, line and column) and a malformed `config_paths`.
 */
export function loadGlobalConfig(options: LoadGlobalConfigOptions): LoadedConfig {
  const command = options.command ?? 'ng';
  const overrides = parseOverrides(options.argv, command);
  const envYaml = loadEnvYaml(options.cwd, options.installRoot);
  const initial = initialConfig(options.initial);

  const early = applyOverrides(mergeConfigs(envYaml.config, initial), overrides, { command, lenient: true }).config;
  const requested = readConfigPaths(early, options.env);
  const files = loadConfigFiles(requested, options.cwd, options.installRoot);

  const lower = mergeConfigs(...files.inMergeOrder.map((file) => file.config), envYaml.config, initial);
  const { config } = applyOverrides(lower, overrides, { command });
  if (files.entries.length > 0) setEntry(config, CONFIG_PATHS_KEY, [...files.entries]);
  return {
    config,
    configPaths: files.entries,
    configFiles: files.inMergeOrder.map((file) => file.path),
    envYamlPath: envYaml.path,
    overrides,
    commandLineKeys: commandLineKeys(overrides),
  };
}

function initialConfig(initial: object | undefined): ConfigDict {
  if (initial === undefined) return {};
  const value = toConfigValue(initial, 'the initial config');
  if (!isConfigDict(value)) throw new ConfigError('value', 'The initial config must be a mapping of keys to values.');
  return value;
}

function readConfigPaths(config: ConfigDict, env: Env): string[] {
  if (getEntry(config, CONFIG_PATHS_KEY) === undefined) return [];
  return configPathList(resolve(config, [CONFIG_PATHS_KEY], { env }), 'config_paths');
}

function configPathList(value: ConfigValue, where: string): string[] {
  if (value === null) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) {
    throw new ConfigError('config-paths', `${where} must be a list of YAML files, e.g. "+config_paths=[configs/a.yaml,configs/b.yaml]"; it is ${describeValue(value)}.`);
  }
  return value.map((item, index) => {
    if (typeof item !== 'string' || item === '') {
      throw new ConfigError('config-paths', `${where} must be a list of YAML file paths; item ${index + 1} is ${describeValue(item)}.`);
    }
    return item;
  });
}

interface LoadedFile {
  entry: string;
  path: string;
  config: ConfigDict;
  /** Indices (into the entry list) of the files this one pulled in. */
  includes: number[];
}

function loadConfigFiles(requested: readonly string[], cwd: string, installRoot: string): { entries: string[]; inMergeOrder: LoadedFile[] } {
  const entries = [...new Set(requested)];
  const rootCount = entries.length;
  const includedBy = new Map<number, string>();
  const files: LoadedFile[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const path = locateConfigFile(entry, cwd, installRoot, includedBy.get(index));
    const config = readConfigYamlFile(path);
    const file: LoadedFile = { entry, path, config, includes: [] };
    const nested = getEntry(config, CONFIG_PATHS_KEY);
    for (const include of nested === undefined ? [] : configPathList(nested, `config_paths in ${path}`)) {
      if (entries.includes(include)) continue;
      entries.push(include);
      includedBy.set(entries.length - 1, path);
      file.includes.push(entries.length - 1);
    }
    files.push(file);
  }
  // Post-order over the include tree: every file merges after (so over) what it pulled in.
  const inMergeOrder: LoadedFile[] = [];
  const visit = (index: number) => {
    const file = files[index]!;
    for (const include of file.includes) visit(include);
    inMergeOrder.push(file);
  };
  for (let index = 0; index < rootCount; index++) visit(index);
  return { entries, inMergeOrder };
}

function locateConfigFile(entry: string, cwd: string, installRoot: string, includedBy: string | undefined): string {
  const candidates = isAbsolute(entry) ? [entry] : [...new Set([resolvePath(cwd, entry), resolvePath(installRoot, entry)])];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found !== undefined) return found;
  const alias = isAbsolute(entry) ? undefined : nemoGymConfigAlias(entry);
  if (alias !== undefined) return resolvePath(installRoot, alias);
  const listedIn = includedBy === undefined ? '' : ` (listed in config_paths of ${includedBy})`;
  const looked = candidates.map((candidate) => `  - ${candidate}`).join('\n');
  const hint = isAbsolute(entry)
    ? 'Check the path.'
    : 'Relative paths are looked up in the working directory, then in the Gym Rollouts install root; check the spelling or run from the directory the path is relative to.' +
      (/^(\.\/)?(responses_api_models|resources_servers|environments|benchmarks|responses_api_agents)\//.test(entry)
        ? ` NeMo Gym's config paths that Gym Rollouts stands in for: ${Object.keys(NEMO_GYM_CONFIG_ALIASES).join(', ')}.`
        : '');
  throw new ConfigError('config-paths', `config_paths entry '${entry}'${listedIn} was not found. Looked in:\n${looked}\n${hint}`);
}
