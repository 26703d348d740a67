import { resolveConfig, type ResolveOptions } from './interpolation.js';
import { redactConfig } from './secrets.js';
import type { ConfigDict } from './value.js';
import { stringifyConfigYaml } from './yaml_io.js';

/**
 * What `ng_dump_config` prints: the config with every interpolation resolved (an unset key fails with the
 * friendly InterpolationError), then redacted (secrets/REDACTED, by key and by value), as YAML.
 * `secretValues` comes from collectSecretValues.
 */
export function dumpConfigYaml(config: ConfigDict, secretValues: readonly string[], options: ResolveOptions = {}): string {
  return stringifyConfigYaml(redactConfig(resolveConfig(config, options), secretValues));
}

/**
 * The YAML the head server serves at `GET /global_config_dict_yaml`: the structure as OmegaConf.to_yaml writes
 * it (interpolations left as `${...}`, which is what NeMo Gym peers expect), but redacted — NeMo Gym serves its
 * secrets in clear; we do not. The route answers this string JSON-encoded (FastAPI's `str` response).
 */
export function headServerConfigYaml(config: ConfigDict, secretValues: readonly string[]): string {
  return stringifyConfigYaml(redactConfig(config, secretValues));
}
