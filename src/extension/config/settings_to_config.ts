/**
 * Settings → what the engine takes: the `ng_run` arguments for the host's servers and the options of one
 * collection. Pure functions (no editor), so the mapping is unit-tested. The API key never appears here: argv
 * holds `${oc.env:GYM_ROLLOUTS_POLICY_API_KEY}` and the host's environment holds the value.
 */
import { isAbsolute, resolve } from 'node:path';
import type { CollectionOptions } from '../../core/collect/api';
import { POLICY_API_KEY_ENV } from '../../host/protocol';
import type { ExtensionSettings } from './settings';

/** Characters Hydra takes in an unquoted value (ID, INT, UNQUOTED_CHAR and `:`), minus `$` and `\`. */
const HYDRA_SAFE = /^[A-Za-z0-9_\-/.+%*@?|:]+$/;

/** A value as Hydra's override grammar reads it back unchanged: bare when safe, else single-quoted. */
export function hydraValue(value: string): string {
  if (HYDRA_SAFE.test(value)) return value;
  // Inside quotes only a quote (and backslashes right before one, or at the end) needs escaping.
  const escaped = value.replace(/(\\*)'/g, (_match, slashes: string) => `${slashes}${slashes}\\'`).replace(/(\\+)$/, '$1$1');
  return `'${escaped}'`;
}

export interface ServerConfigFiles {
  /** Absolute paths of the extension's bundled configs. */
  responsesModel: string;
  chatCompletionsModel: string;
  workplaceAssistant: string;
}

/** The simple agent's `max_steps` key in the bundled workplace config. */
export const SIMPLE_AGENT_MAX_STEPS_KEY = 'workplace_assistant_simple_agent.responses_api_agents.simple_agent.max_steps';

/** Where the host's head server listens (a free port, chosen by `host/head_server_port.ts`). */
export function headServerArgument(port: number): string {
  return `+head_server={host:127.0.0.1,port:${port}}`;
}

/** `ng_run` arguments for the host's embedded servers. */
export function serversArgv(settings: ExtensionSettings, configFiles: ServerConfigFiles, workspaceFolder: string | null, headServerPort: number): string[] {
  const modelConfig = settings.apiStyle === 'chat_completions' ? configFiles.chatCompletionsModel : configFiles.responsesModel;
  const extra = settings.extraConfigFiles.map((file) => (isAbsolute(file) || !workspaceFolder ? file : resolve(workspaceFolder, file)));
  const configPaths = [modelConfig, configFiles.workplaceAssistant, ...extra].map(hydraValue);
  const argv = [
    `+config_paths=[${configPaths.join(',')}]`,
    `+policy_base_url=${hydraValue(settings.policyBaseUrl)}`,
    `+policy_model_name=${hydraValue(settings.policyModelName)}`,
    `+policy_api_key=\${oc.env:${POLICY_API_KEY_ENV}}`,
    headServerArgument(headServerPort),
  ];
  if (settings.dataDirectory) {
    const directory = isAbsolute(settings.dataDirectory) || !workspaceFolder ? settings.dataDirectory : resolve(workspaceFolder, settings.dataDirectory);
    argv.push(`+workplace_assistant_data_dir=${hydraValue(directory)}`);
  }
  if (settings.maxSteps !== null) argv.push(`++${SIMPLE_AGENT_MAX_STEPS_KEY}=${settings.maxSteps}`);
  return argv;
}

/**
 * The environment the host gets: the editor's, plus the key under the name argv refers to (empty when there is
 * no key, so the interpolation resolves and a local endpoint that needs none still works).
 */
export function hostEnvironment(base: Record<string, string | undefined>, apiKey: string | null): Record<string, string | undefined> {
  return { ...base, [POLICY_API_KEY_ENV]: apiKey ?? '' };
}

/** What the Collect Rollouts input asks for. */
export interface CollectChoices {
  agentName: string;
  /** Null: every row. */
  limit: number | null;
  numRepeats: number;
  parallelism: number;
  /** Null: the row's own value. */
  temperature: number | null;
  maxOutputTokens: number | null;
  outputPath: string;
  /** Keep what the output file already holds and collect only what is missing. */
  resume: boolean;
  /** Record invalid rows as failures and collect the rest (the user chose so when the file had invalid rows). */
  skipInvalidRows: boolean;
}

export function collectionOptions(inputPath: string, choices: CollectChoices, settings: ExtensionSettings): CollectionOptions {
  const responsesCreateParams: Record<string, unknown> = {};
  if (choices.temperature !== null) responsesCreateParams.temperature = choices.temperature;
  if (choices.maxOutputTokens !== null) responsesCreateParams.max_output_tokens = choices.maxOutputTokens;
  return {
    inputJsonlPath: inputPath,
    outputJsonlPath: choices.outputPath,
    agentName: choices.agentName,
    limit: choices.limit,
    numRepeats: choices.numRepeats,
    numSamplesInParallel: choices.parallelism,
    responsesCreateParams,
    resumeFromCache: choices.resume,
    skipInvalidRows: choices.skipInvalidRows,
    sanitizeToolSchemas: settings.sanitizeToolSchemas,
  };
}
