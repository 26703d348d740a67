import { closestKey } from './closest_key.js';
import { ConfigError } from './errors.js';
import { referencedPaths } from './interpolation.js';
import { RESERVED_TOP_LEVEL_KEYS, SERVER_TYPES } from './servers.js';
import { entriesOf, getEntry, isConfigDict, type ConfigDict } from './value.js';

export { closestKey } from './closest_key.js';

/** Settings every command accepts (NeMo Gym's global knobs, help, and the policy keys model configs use). */
export const GLOBAL_OPTION_KEYS: readonly string[] = [
  'h',
  'help',
  'policy_base_url',
  'policy_api_key',
  'policy_model_name',
  'hf_token',
  'error_on_almost_servers',
  'global_aiohttp_connector_limit',
  'global_aiohttp_connector_limit_per_host',
  'global_aiohttp_client_request_debug',
  'uvicorn_logging_show_200_ok',
  'profiling_enabled',
  'profiling_results_dirpath',
  'wandb_project',
  'wandb_name',
  'wandb_api_key',
];

export interface CheckOptionsInput {
  /** The command, for messages (`ng_collect_rollouts`). */
  command: string;
  /** The options this command reads (`agent_name`, `limit`, ...). */
  knownKeys: Iterable<string>;
  /** Names of the servers in the config (also allowed). */
  serverNames?: Iterable<string>;
  /**
   * The keys to check; by default every top-level key of the config. Pass LoadedConfig.commandLineKeys to check
   * only what the user typed: config files and env.yaml legitimately hold settings for other commands.
   */
  keysToCheck?: Iterable<string>;
}

export interface UnknownOption {
  key: string;
  suggestion: string | undefined;
}

/**
 * Top-level keys that no part of the system reads: not a known option of the command, not a global or reserved
 * setting, not a server (or server-like) block, and not used by any `${...}` in the config (so
 * `policy_base_url`, read through the model config's interpolation, is fine).
 */
export function findUnknownOptions(config: ConfigDict, input: CheckOptionsInput): UnknownOption[] {
  const known = [...input.knownKeys];
  const allowed = new Set<string>([...known, ...GLOBAL_OPTION_KEYS, ...RESERVED_TOP_LEVEL_KEYS, ...(input.serverNames ?? [])]);
  for (const [key, value] of entriesOf(config)) {
    if (isConfigDict(value) && SERVER_TYPES.some((type) => getEntry(value, type) !== undefined)) allowed.add(key);
  }
  for (const path of referencedPaths(config)) if (path[0] !== undefined) allowed.add(path[0]);
  const keys = input.keysToCheck === undefined ? entriesOf(config).map(([key]) => key) : [...input.keysToCheck];
  const candidates = [...known, ...GLOBAL_OPTION_KEYS];
  return keys.filter((key) => !allowed.has(key)).map((key) => ({ key, suggestion: closestKey(key, candidates) }));
}

/**
 * Throws when findUnknownOptions finds anything, one line per key:
 * `ng_collect_rollouts: unknown option +limt. Did you mean +limit?` — or, with no close match, the list of the
 * command's options. (NeMo Gym silently ignores misspelt options; a typo in `+limit` then collects everything.)
 */
export function checkOptions(config: ConfigDict, input: CheckOptionsInput): void {
  const unknown = findUnknownOptions(config, input);
  if (unknown.length === 0) return;
  const known = [...input.knownKeys].sort();
  const lines = unknown.map(({ key, suggestion }) => {
    const hint = suggestion !== undefined ? `Did you mean +${suggestion}?` : `${input.command} takes: ${known.map((name) => `+${name}`).join(', ') || 'no options of its own'}.`;
    return `${input.command}: unknown option +${key}. ${hint}`;
  });
  throw new ConfigError('unknown-option', lines.join('\n'));
}
