import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigYamlFile } from './yaml_io.js';
import type { ConfigDict } from './value.js';

export const ENV_YAML_FILE_NAME = 'env.yaml';

/** Where env.yaml is read from: the working directory's if there is one, else the install root's. */
export function findEnvYaml(cwd: string, installRoot: string): string | undefined {
  for (const directory of [cwd, installRoot]) {
    const candidate = join(directory, ENV_YAML_FILE_NAME);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface EnvYaml {
  path: string | undefined;
  config: ConfigDict;
}

/**
 * Loads env.yaml — by convention `policy_base_url`, `policy_api_key`, `policy_model_name`, optional
 * `config_paths` and tokens; kept out of version control. No env.yaml is an empty config.
 */
export function loadEnvYaml(cwd: string, installRoot: string): EnvYaml {
  const path = findEnvYaml(cwd, installRoot);
  return { path, config: path === undefined ? {} : readConfigYamlFile(path) };
}
