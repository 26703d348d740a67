/**
 * The extension's settings: declared once here (key, type, default, description), read through a getter so the
 * mapping to config can be tested without an editor, and written into `package.json` by
 * `scripts/dev/extension_sync_manifest.mjs` (a unit test checks they agree).
 */

export const SETTINGS_SECTION = 'gymRollouts';

export const NVIDIA_BASE_URL = 'https://integrate.api.nvidia.com/v1';
/** Suggested for NVIDIA's endpoint; `/v1/models` adds whatever an endpoint lists. */
export const SUGGESTED_MODELS: readonly string[] = ['openai/gpt-oss-120b', 'openai/gpt-oss-20b'];

export type ApiStyle = 'responses' | 'chat_completions';

export interface ExtensionSettings {
  policyBaseUrl: string;
  policyModelName: string;
  apiStyle: ApiStyle;
  defaultAgent: string;
  parallelism: number;
  /** Null keeps the agent config's own value. */
  maxSteps: number | null;
  /** Empty: the engine's own search (workspace NeMo Gym checkout, user cache, the bundled tables). */
  dataDirectory: string;
  extraConfigFiles: string[];
  /** Non-empty: use that deployment's head server and start no host servers. */
  externalHeadServerUrl: string;
  /** Strip non-standard tool-schema keys from rows before sending them. */
  sanitizeToolSchemas: boolean;
  /** Where collections write (relative to the workspace folder, or absolute); empty: beside the input file. */
  outputFolder: string;
}

interface SettingSpec<K extends keyof ExtensionSettings> {
  key: string;
  field: K;
  schema: Record<string, unknown> & { default: ExtensionSettings[K] | null };
  /** Turns whatever the user wrote into a valid value (bad values fall back to the default). */
  coerce: (value: unknown) => ExtensionSettings[K];
}

const nonEmptyString = (fallback: string) => (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
const anyString = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const positiveInteger = (fallback: number) => (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);

export const SETTING_SPECS = [
  {
    key: 'policy.baseUrl',
    field: 'policyBaseUrl',
    schema: {
      type: 'string',
      default: NVIDIA_BASE_URL,
      markdownDescription: "Base URL of the OpenAI-compatible policy endpoint (NeMo Gym's `policy_base_url`), e.g. NVIDIA's `https://integrate.api.nvidia.com/v1` or a local vLLM.",
      order: 1,
    },
    coerce: nonEmptyString(NVIDIA_BASE_URL),
  } satisfies SettingSpec<'policyBaseUrl'>,
  {
    key: 'policy.modelName',
    field: 'policyModelName',
    schema: {
      type: 'string',
      default: SUGGESTED_MODELS[0]!,
      examples: [...SUGGESTED_MODELS],
      markdownDescription:
        "Model name sent to the policy endpoint (`policy_model_name`). For NVIDIA's endpoint: `openai/gpt-oss-120b` or `openai/gpt-oss-20b`. Run **Gym Rollouts: Select Policy Model** to pick from what the endpoint's `/v1/models` lists.",
      order: 2,
    },
    coerce: nonEmptyString(SUGGESTED_MODELS[0]!),
  } satisfies SettingSpec<'policyModelName'>,
  {
    key: 'policy.apiStyle',
    field: 'apiStyle',
    schema: {
      type: 'string',
      default: 'responses',
      enum: ['responses', 'chat_completions'],
      enumDescriptions: ['The endpoint serves the Responses API (/v1/responses).', 'The endpoint serves Chat Completions only (/v1/chat/completions); requests are converted.'],
      markdownDescription: 'Which API the policy endpoint speaks.',
      order: 3,
    },
    coerce: (value: unknown): ApiStyle => (value === 'chat_completions' ? 'chat_completions' : 'responses'),
  } satisfies SettingSpec<'apiStyle'>,
  {
    key: 'collection.defaultAgent',
    field: 'defaultAgent',
    schema: {
      type: 'string',
      default: 'workplace_assistant_simple_agent',
      examples: ['workplace_assistant_simple_agent', 'workplace_assistant_oracle_agent'],
      markdownDescription: 'Agent used for rows without their own `agent_ref` (`agent_name`).',
      order: 10,
    },
    coerce: nonEmptyString('workplace_assistant_simple_agent'),
  } satisfies SettingSpec<'defaultAgent'>,
  {
    key: 'collection.parallelism',
    field: 'parallelism',
    schema: { type: 'integer', default: 8, minimum: 1, markdownDescription: 'Rollouts in flight at once (`num_samples_in_parallel`).', order: 11 },
    coerce: positiveInteger(8),
  } satisfies SettingSpec<'parallelism'>,
  {
    key: 'agent.maxSteps',
    field: 'maxSteps',
    schema: {
      type: ['integer', 'null'],
      default: null,
      minimum: 1,
      markdownDescription: "Model calls per rollout of the simple agent (`max_steps`); empty keeps the agent config's value (6).",
      order: 12,
    },
    coerce: (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null),
  } satisfies SettingSpec<'maxSteps'>,
  {
    key: 'collection.sanitizeToolSchemas',
    field: 'sanitizeToolSchemas',
    schema: {
      type: 'boolean',
      default: false,
      markdownDescription: 'Strip non-standard tool-schema keys (e.g. `database`, `operation_type`) from rows before sending them, instead of failing those rows.',
      order: 13,
    },
    coerce: (value: unknown) => value === true,
  } satisfies SettingSpec<'sanitizeToolSchemas'>,
  {
    key: 'collection.outputFolder',
    field: 'outputFolder',
    schema: {
      type: 'string',
      default: 'rollouts',
      markdownDescription:
        'Folder for the files of each collection (rollouts, failures, materialized inputs, metrics), relative to the workspace folder or absolute. Each run is named after its input and start time, e.g. `rollouts/tasks_20261205-143012_rollouts.jsonl`. Empty: beside the input file.',
      order: 14,
    },
    coerce: (value: unknown) => (typeof value === 'string' ? value.trim() : 'rollouts'),
  } satisfies SettingSpec<'outputFolder'>,
  {
    key: 'dataDirectory',
    field: 'dataDirectory',
    schema: {
      type: 'string',
      default: '',
      markdownDescription:
        "Folder holding the workplace tables (NeMo Gym's `csv_data/processed`). Empty: a NeMo Gym checkout in the workspace, then the user cache, then the tables shipped with the extension.",
      order: 20,
    },
    coerce: anyString,
  } satisfies SettingSpec<'dataDirectory'>,
  {
    key: 'extraConfigFiles',
    field: 'extraConfigFiles',
    schema: { type: 'array', items: { type: 'string' }, default: [], markdownDescription: 'More NeMo Gym YAML config files, appended to `config_paths` (relative paths are resolved against the workspace folder).', order: 21 },
    coerce: (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim()) : []),
  } satisfies SettingSpec<'extraConfigFiles'>,
  {
    key: 'externalHeadServerUrl',
    field: 'externalHeadServerUrl',
    schema: {
      type: 'string',
      default: '',
      markdownDescription: 'Head server of an existing NeMo Gym deployment (Python or Gym Rollouts), e.g. `http://127.0.0.1:11000`. When set, the extension collects through it and starts no servers of its own.',
      order: 22,
    },
    coerce: anyString,
  } satisfies SettingSpec<'externalHeadServerUrl'>,
] as const;

/** Reads settings through `get(key)` (a `WorkspaceConfiguration.get` for the section, or a plain object in tests). */
export function readSettings(get: (key: string) => unknown): ExtensionSettings {
  const settings: Partial<Record<keyof ExtensionSettings, unknown>> = {};
  for (const spec of SETTING_SPECS) settings[spec.field] = spec.coerce(get(spec.key));
  return settings as ExtensionSettings;
}

/** `contributes.configuration` for `package.json`. */
export function manifestConfiguration(): { title: string; properties: Record<string, Record<string, unknown>> } {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const spec of SETTING_SPECS) properties[`${SETTINGS_SECTION}.${spec.key}`] = spec.schema;
  return { title: 'Gym Rollouts', properties };
}

/** Keys whose change means running servers use stale config. */
export function affectsServers(changed: (key: string) => boolean): boolean {
  const collectionOnly: readonly (keyof ExtensionSettings)[] = ['defaultAgent', 'parallelism', 'sanitizeToolSchemas', 'outputFolder'];
  return SETTING_SPECS.some((spec) => !collectionOnly.includes(spec.field) && changed(`${SETTINGS_SECTION}.${spec.key}`));
}
