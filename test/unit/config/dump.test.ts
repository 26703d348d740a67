import { describe, expect, it } from 'vitest';
import { dumpConfigYaml, headServerConfigYaml } from '../../../src/core/config/dump.js';
import { InterpolationError } from '../../../src/core/config/interpolation.js';
import { collectSecretValues } from '../../../src/core/config/secrets.js';
import type { ConfigDict } from '../../../src/core/config/value.js';
import { parseConfigYaml } from '../../../src/core/config/yaml_io.js';

const KEY = ['nvapi', 'dump', 'test', '0123456789'].join('-');

function config(): ConfigDict {
  return {
    policy_base_url: 'https://integrate.api.nvidia.com/v1',
    policy_api_key: KEY,
    policy_model_name: 'openai/gpt-oss-120b',
    policy_model: {
      responses_api_models: {
        openai_model: {
          entrypoint: 'app.py',
          openai_base_url: '${policy_base_url}',
          openai_api_key: '${policy_api_key}',
          openai_model: '${policy_model_name}',
          port: 15000,
        },
      },
    },
    audit: { copied_url: `https://x.example.com/?k=${KEY}` },
    responses_create_params: { max_output_tokens: 2048 },
  };
}

describe('dumpConfigYaml', () => {
  it('prints the resolved config with every secret masked', () => {
    const yaml = dumpConfigYaml(config(), collectSecretValues(config(), {}), { env: {} });
    expect(yaml).not.toContain(KEY);
    const parsed = parseConfigYaml(yaml, 'dump');
    expect(parsed['policy_model']).toEqual({
      responses_api_models: {
        openai_model: {
          entrypoint: 'app.py',
          openai_base_url: 'https://integrate.api.nvidia.com/v1',
          openai_api_key: '****',
          openai_model: 'openai/gpt-oss-120b',
          port: 15000,
        },
      },
    });
    expect(parsed['responses_create_params']).toEqual({ max_output_tokens: 2048 });
    expect(parsed['audit']).toEqual({ copied_url: 'https://x.example.com/?k=****' });
  });

  it('fails with the friendly message when a key is not set', () => {
    const incomplete = config();
    delete incomplete['policy_base_url'];
    expect(() => dumpConfigYaml(incomplete, [], { env: {} })).toThrow(InterpolationError);
    expect(() => dumpConfigYaml(incomplete, [], { env: {} })).toThrow(
      'policy_base_url is not set (used by policy_model.responses_api_models.openai_model.openai_base_url).',
    );
  });
});

describe('headServerConfigYaml', () => {
  it('keeps the interpolation structure, masks secrets, and reads back as the same structure', () => {
    const yaml = headServerConfigYaml(config(), collectSecretValues(config(), {}));
    expect(yaml).not.toContain(KEY);
    expect(yaml).toContain('openai_api_key: ${policy_api_key}');
    expect(yaml).toContain('openai_base_url: ${policy_base_url}');
    const parsed = parseConfigYaml(yaml, 'head');
    expect(parsed['policy_api_key']).toBe('****');
    expect((((parsed['policy_model'] as ConfigDict)['responses_api_models'] as ConfigDict)['openai_model'] as ConfigDict)['port']).toBe(15000);
  });
});
