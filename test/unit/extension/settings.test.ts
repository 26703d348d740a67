import { describe, expect, it } from 'vitest';
import { parseOverride } from '../../../src/core/config/overrides';
import { readSettings, type ExtensionSettings } from '../../../src/extension/config/settings';
import { collectionOptions, hostEnvironment, hydraValue, serversArgv, SIMPLE_AGENT_MAX_STEPS_KEY } from '../../../src/extension/config/settings_to_config';
import { POLICY_API_KEY_ENV } from '../../../src/host/protocol';

const CONFIGS = { responsesModel: '/ext/configs/openai_model.yaml', chatCompletionsModel: '/ext/configs/chat_completions_model.yaml', workplaceAssistant: '/ext/configs/workplace_assistant.yaml' };

function settings(values: Record<string, unknown> = {}): ExtensionSettings {
  return readSettings((key) => values[key]);
}

/** The override's value as the config loader reads it back. */
function parsedValue(argument: string): unknown {
  return parseOverride(argument, 0, 'ng_run').value;
}

describe('readSettings', () => {
  it('gives the defaults for an empty configuration', () => {
    expect(settings()).toEqual({
      policyBaseUrl: 'https://integrate.api.nvidia.com/v1',
      policyModelName: 'openai/gpt-oss-120b',
      apiStyle: 'responses',
      defaultAgent: 'workplace_assistant_simple_agent',
      parallelism: 8,
      maxSteps: null,
      dataDirectory: '',
      extraConfigFiles: [],
      externalHeadServerUrl: '',
      sanitizeToolSchemas: false,
      outputFolder: 'rollouts',
    });
  });

  it('replaces invalid values by the defaults and trims strings', () => {
    const read = settings({ 'policy.baseUrl': '  http://localhost:8000/v1 ', 'policy.apiStyle': 'soap', 'collection.parallelism': -2, 'agent.maxSteps': 2.5, extraConfigFiles: ['a.yaml', 3, ' '] });
    expect(read).toMatchObject({ policyBaseUrl: 'http://localhost:8000/v1', apiStyle: 'responses', parallelism: 8, maxSteps: null, extraConfigFiles: ['a.yaml'] });
  });
});

describe('serversArgv', () => {
  it('maps the settings to ng_run arguments, with the key only as an environment reference', () => {
    const argv = serversArgv(
      settings({ 'policy.baseUrl': 'http://127.0.0.1:8000/v1', 'policy.modelName': 'openai/gpt-oss-20b', dataDirectory: 'data/csv', 'agent.maxSteps': 4, extraConfigFiles: ['extra.yaml', '/abs/more.yaml'] }),
      CONFIGS,
      '/work/space',
      11000,
    );
    expect(argv).toEqual([
      '+config_paths=[/ext/configs/openai_model.yaml,/ext/configs/workplace_assistant.yaml,/work/space/extra.yaml,/abs/more.yaml]',
      '+policy_base_url=http://127.0.0.1:8000/v1',
      '+policy_model_name=openai/gpt-oss-20b',
      `+policy_api_key=\${oc.env:${POLICY_API_KEY_ENV}}`,
      '+head_server={host:127.0.0.1,port:11000}',
      '+workplace_assistant_data_dir=/work/space/data/csv',
      `++${SIMPLE_AGENT_MAX_STEPS_KEY}=4`,
    ]);
  });

  it('uses the Chat Completions model config for that API style and leaves optional keys out', () => {
    const argv = serversArgv(settings({ 'policy.apiStyle': 'chat_completions' }), CONFIGS, null, 11000);
    expect(argv[0]).toBe('+config_paths=[/ext/configs/chat_completions_model.yaml,/ext/configs/workplace_assistant.yaml]');
    expect(argv.some((argument) => argument.includes('data_dir') || argument.includes('max_steps'))).toBe(false);
  });

  it('writes values the config loader reads back unchanged, quoting only when needed', () => {
    for (const value of ['http://127.0.0.1:8000/v1', 'openai/gpt-oss-120b', '/home/a b/data', "/it's/here", 'C:\\data\\', 'a,b[c]']) {
      expect(parsedValue(`+x=${hydraValue(value)}`), value).toBe(value);
    }
    expect(hydraValue('openai/gpt-oss-120b')).toBe('openai/gpt-oss-120b');
    expect(hydraValue('/home/a b')).toBe("'/home/a b'");
  });

  it('produces arguments the config loader accepts', () => {
    const argv = serversArgv(settings({ dataDirectory: '/data with space/csv', extraConfigFiles: ['/x,y.yaml'] }), CONFIGS, '/w', 12345);
    for (const argument of argv) expect(() => parseOverride(argument, 0, 'ng_run'), argument).not.toThrow();
    expect(parsedValue(argv[0]!)).toEqual([CONFIGS.responsesModel, CONFIGS.workplaceAssistant, '/x,y.yaml']);
    expect(parsedValue(argv.find((argument) => argument.startsWith('+head_server'))!)).toEqual({ host: '127.0.0.1', port: 12345 });
  });
});

describe('hostEnvironment', () => {
  it('carries the key under the name argv refers to, and an empty value without a key', () => {
    expect(hostEnvironment({ PATH: '/bin' }, 'nvapi-abc')).toEqual({ PATH: '/bin', [POLICY_API_KEY_ENV]: 'nvapi-abc' });
    expect(hostEnvironment({ PATH: '/bin', [POLICY_API_KEY_ENV]: 'stale' }, null)).toEqual({ PATH: '/bin', [POLICY_API_KEY_ENV]: '' });
  });
});

describe('collectionOptions', () => {
  it('maps the wizard choices to the collector options', () => {
    const options = collectionOptions(
      '/w/tasks.jsonl',
      { agentName: 'workplace_assistant_simple_agent', limit: 5, numRepeats: 2, parallelism: 3, temperature: 0.5, maxOutputTokens: 1024, outputPath: '/w/out.jsonl', resume: true, skipInvalidRows: true },
      settings({ 'collection.sanitizeToolSchemas': true }),
    );
    expect(options).toEqual({
      inputJsonlPath: '/w/tasks.jsonl',
      outputJsonlPath: '/w/out.jsonl',
      agentName: 'workplace_assistant_simple_agent',
      limit: 5,
      numRepeats: 2,
      numSamplesInParallel: 3,
      responsesCreateParams: { temperature: 0.5, max_output_tokens: 1024 },
      resumeFromCache: true,
      skipInvalidRows: true,
      sanitizeToolSchemas: true,
    });
  });

  it("leaves the rows' own temperature and token limit alone when none is chosen", () => {
    const options = collectionOptions('/t.jsonl', { agentName: 'a', limit: null, numRepeats: 1, parallelism: 1, temperature: null, maxOutputTokens: null, outputPath: '/o.jsonl', resume: false, skipInvalidRows: false }, settings());
    expect(options.responsesCreateParams).toEqual({});
    expect(options.skipInvalidRows).toBe(false);
    expect(options.limit).toBeNull();
  });
});
