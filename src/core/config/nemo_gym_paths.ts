import { posix } from 'node:path';

/**
 * NeMo Gym's config paths for what Gym Rollouts has, and the config of ours each one means. A path that exists
 * (e.g. in a NeMo Gym checkout) is read as it is; these apply when it does not, so that NeMo Gym's commands run
 * here verbatim (`+config_paths=[responses_api_models/openai_model/configs/openai_model.yaml,...]`,
 * `gym env start --model-type openai_model --environment workplace_assistant`).
 */
export const NEMO_GYM_CONFIG_ALIASES: Readonly<Record<string, string>> = {
  'responses_api_models/openai_model/configs/openai_model.yaml': 'configs/openai_model.yaml',
  'responses_api_models/vllm_model/configs/vllm_model.yaml': 'configs/chat_completions_model.yaml',
  'resources_servers/workplace_assistant/configs/workplace_assistant.yaml': 'configs/workplace_assistant.yaml',
  'environments/workplace_assistant/config.yaml': 'configs/workplace_assistant.yaml',
};

/** Our config (relative to the install root) for a NeMo Gym config path, if it is one we stand in for. */
export function nemoGymConfigAlias(entry: string): string | undefined {
  const normalized = posix.normalize(entry.replaceAll('\\', '/')).replace(/^\.\//, '');
  return NEMO_GYM_CONFIG_ALIASES[normalized];
}

/**
 * NeMo Gym's example task files for workplace_assistant, which its README's commands name, and our copy of them
 * (the same five rows, Apache-2.0). Like NeMo Gym (which also looks in its install root), a path that exists in the
 * working folder wins.
 */
export const NEMO_GYM_DATA_ALIASES: Readonly<Record<string, string>> = {
  'environments/workplace_assistant/data/example.jsonl': 'examples/workplace_assistant/example.jsonl',
  'resources_servers/workplace_assistant/data/example.jsonl': 'examples/workplace_assistant/example.jsonl',
};

export function nemoGymDataAlias(entry: string): string | undefined {
  const normalized = posix.normalize(entry.replaceAll('\\', '/')).replace(/^\.\//, '');
  return NEMO_GYM_DATA_ALIASES[normalized];
}
