import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closestKey, nemoGymConfigAlias } from '../../core/config';
import { UsageError } from '../command_config';

/**
 * NeMo Gym's named-asset flags (`--environment NAME`, `--model-type NAME`, `--resources-server NAME`,
 * `--benchmark NAME`, each also `NAME/FLAVOR`) and the config path each names, as nemo_gym/cli/main.py builds it.
 * A path that exists under the working folder is used as it is (a NeMo Gym checkout, or the user's own); otherwise
 * it must be one Gym Rollouts stands in for (src/core/config/nemo_gym_paths.ts).
 */
export type AssetFlag = 'environment' | 'model-type' | 'resources-server' | 'benchmark';

const LAYOUT: Record<AssetFlag, { parent: string; subdir: string; defaultFlavor: string | null; noun: string }> = {
  benchmark: { parent: 'benchmarks', subdir: '', defaultFlavor: 'config', noun: 'benchmarks' },
  environment: { parent: 'environments', subdir: '', defaultFlavor: 'config', noun: 'environments' },
  'resources-server': { parent: 'resources_servers', subdir: 'configs', defaultFlavor: null, noun: 'resources servers' },
  'model-type': { parent: 'responses_api_models', subdir: 'configs', defaultFlavor: null, noun: 'model types' },
};

/** What each flag can name here, with what it stands for. */
export const AVAILABLE_ASSETS: Record<AssetFlag, Readonly<Record<string, string>>> = {
  environment: { workplace_assistant: 'the workplace_assistant environment: resources server, simple agent and oracle agent (configs/workplace_assistant.yaml)' },
  'resources-server': { workplace_assistant: 'the workplace_assistant resources server and its agents (configs/workplace_assistant.yaml)' },
  'model-type': {
    openai_model: 'policy_model over an OpenAI-compatible Responses API (configs/openai_model.yaml)',
    vllm_model: 'policy_model over Chat Completions only: vLLM, Ollama, many NIMs (configs/chat_completions_model.yaml)',
  },
  benchmark: {},
};

/** NeMo Gym's config path for `--<flag> <value>`. */
export function nemoGymAssetPath(flag: AssetFlag, value: string): string {
  const { parent, subdir, defaultFlavor } = LAYOUT[flag];
  const slash = value.indexOf('/');
  const name = slash < 0 ? value : value.slice(0, slash);
  const flavor = (slash < 0 ? '' : value.slice(slash + 1)) || defaultFlavor || name;
  return [parent, name, subdir, `${flavor}.yaml`].filter((part) => part !== '').join('/');
}

/** The config path to load for `--<flag> <value>`, or a UsageError listing what exists. */
export function assetConfigPath(flag: AssetFlag, value: string, cwd: string): string {
  const path = nemoGymAssetPath(flag, value);
  if (existsSync(resolve(cwd, path)) || nemoGymConfigAlias(path) !== undefined) return path;
  const available = Object.keys(AVAILABLE_ASSETS[flag]);
  if (available.length === 0) {
    throw new UsageError(`--${flag} ${value}: Gym Rollouts has no ${LAYOUT[flag].noun} (its one environment is workplace_assistant: --environment workplace_assistant).`);
  }
  const name = value.split('/')[0]!;
  const suggestion = closestKey(name, available);
  throw new UsageError(
    `--${flag} ${value} was specified, which implies config ${path}, which does not exist here.${suggestion ? ` Did you mean ${suggestion}?` : ''} ` +
      `Available ${LAYOUT[flag].noun}: ${available.join(', ')} (or pass --config <path>).`,
  );
}
