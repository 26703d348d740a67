/**
 * NeMo Gym's configuration conventions: YAML configs, Hydra `+key=value` overrides, env.yaml, OmegaConf
 * `${...}` interpolation, server blocks and ports, secret redaction, per-command option checks.
 *
 * Typical use by a command:
 *
 *   const loaded = loadGlobalConfig({ argv, cwd, installRoot, env, command: 'ng_run' });
 *   const { servers } = findServers(resolveConfig(loaded.config, { env }), { env });
 *   checkOptions(loaded.config, { command, knownKeys, serverNames: servers.map((s) => s.name), keysToCheck: loaded.commandLineKeys });
 *   const secrets = collectSecretValues(loaded.config, env);   // then redactText() every log line
 */
export { ConfigError, isConfigError, type ConfigErrorKind } from './errors.js';
export type { ConfigDict, ConfigScalar, ConfigValue, PathSegment } from './value.js';
export { parseOverride, parseOverrides, applyOverrides, commandLineKeys, type Override, type OverrideKind, type AppliedOverrides } from './overrides.js';
export { loadGlobalConfig, CONFIG_PATHS_KEY, type LoadGlobalConfigOptions, type LoadedConfig } from './loader.js';
export { findEnvYaml, loadEnvYaml, ENV_YAML_FILE_NAME } from './env_yaml.js';
export { resolve, resolveConfig, referencedPaths, InterpolationError, MISSING_VALUE, type Env, type ResolveOptions } from './interpolation.js';
export {
  findServers,
  headServerAddress,
  applyServerAddresses,
  parsePort,
  SERVER_TYPES,
  RESERVED_TOP_LEVEL_KEYS,
  RESOURCES_SERVER_DOMAINS,
  DEFAULT_HEAD_SERVER_HOST,
  DEFAULT_HEAD_SERVER_PORT,
  type ServerType,
  type ServerBlock,
  type AlmostServer,
  type ServerDiscovery,
  type FindServersOptions,
} from './servers.js';
export { assignHostsAndPorts, isPortFree, DEFAULT_HOST, DEFAULT_PORT_RANGE_LOW, DEFAULT_PORT_RANGE_HIGH, type AssignedServer, type PortAssignmentOptions } from './ports.js';
export { collectSecretValues, redactConfig, redactText, isSecretKey, isSecretHeaderName, unparsedOverrideSecret, REDACTED, MIN_SECRET_VALUE_LENGTH } from './secrets.js';
export { literalSecretOverrides, literalSecretWarning } from './command_line_secrets.js';
export { dumpConfigYaml, headServerConfigYaml } from './dump.js';
export { checkOptions, findUnknownOptions, closestKey, GLOBAL_OPTION_KEYS, type CheckOptionsInput, type UnknownOption } from './options.js';
export { parseConfigYaml, readConfigYamlFile, stringifyConfigYaml } from './yaml_io.js';
export { NEMO_GYM_CONFIG_ALIASES, NEMO_GYM_DATA_ALIASES, nemoGymConfigAlias, nemoGymDataAlias } from './nemo_gym_paths.js';
