import { describe, expect, it } from 'vitest';
import { assetConfigPath, nemoGymAssetPath } from '../../../src/cli/gym/assets';
import { EVAL_RUN_FLAGS, optionProperty } from '../../../src/cli/gym/flags';
import { hydraTokens, hydraValue } from '../../../src/cli/gym/hydra_tokens';
import { nemoGymConfigAlias, nemoGymDataAlias } from '../../../src/core/config';
import { REPO_ROOT } from '../../support/paths';

describe('gym flags to Hydra overrides', () => {
  it('maps eval run flags to NeMo Gym\'s keys and puts every config path in one leading +config_paths', () => {
    const options = {
      environment: 'workplace_assistant',
      modelType: 'openai_model',
      config: ['extra.yaml'],
      agent: 'workplace_assistant_simple_agent',
      input: 'in.jsonl',
      output: 'results/out.jsonl',
      limit: '1',
      numRepeats: '4',
      concurrency: '10',
      temperature: '0.7',
      topP: '0.9',
      maxOutputTokens: '2048',
      resume: true,
      disableAggregation: true,
      model: 'openai/gpt-oss-120b',
      modelUrl: 'http://127.0.0.1:9/v1',
      modelApiKey: '${oc.env:NVIDIA_API_KEY}',
      serve: false,
    };
    expect(hydraTokens(EVAL_RUN_FLAGS, options, ['+config_paths=[mine.yaml]', '+head_server={host: 127.0.0.1, port: 12000}'], REPO_ROOT)).toEqual([
      '+config_paths=[extra.yaml,environments/workplace_assistant/config.yaml,responses_api_models/openai_model/configs/openai_model.yaml,mine.yaml]',
      '+resume_from_cache=true',
      '+agent_name=workplace_assistant_simple_agent',
      '+input_jsonl_fpath=in.jsonl',
      '+output_jsonl_fpath=results/out.jsonl',
      '+limit=1',
      '+num_repeats=4',
      '+num_samples_in_parallel=10',
      '+policy_model_name=openai/gpt-oss-120b',
      '+policy_base_url=http://127.0.0.1:9/v1',
      '+policy_api_key=${oc.env:NVIDIA_API_KEY}',
      '+responses_create_params.temperature=0.7',
      '+responses_create_params.top_p=0.9',
      '+responses_create_params.max_output_tokens=2048',
      '+disable_aggregation=true',
      '+head_server={host: 127.0.0.1, port: 12000}',
    ]);
  });

  it('passes --head-servers on in Hydra\'s list grammar, and the shard flags as numbers', () => {
    const hosts = '[{host: 10.0.0.2, port: 11000}, {host: 10.0.0.3, port: 11000}]';
    expect(hydraTokens(EVAL_RUN_FLAGS, { serve: false, headServers: hosts, numShards: '3', shardIndex: '1' }, [], REPO_ROOT)).toEqual([
      '+num_shards=3',
      '+shard_index=1',
      `+head_servers=${hosts}`,
    ]);
  });

  it('quotes a value only when Hydra\'s grammar needs it', () => {
    expect(hydraValue('results/out.jsonl')).toBe('results/out.jsonl');
    expect(hydraValue('my runs/out, final.jsonl')).toBe("'my runs/out, final.jsonl'");
    expect(hydraValue("it's")).toBe("'it\\'s'");
    expect(optionProperty('--no-serve')).toBe('serve');
    expect(optionProperty('-i, --input-glob <glob>')).toBe('inputGlob');
  });
});

describe('named assets and NeMo Gym\'s paths', () => {
  it('builds NeMo Gym\'s config paths, flavors included', () => {
    expect(nemoGymAssetPath('environment', 'workplace_assistant')).toBe('environments/workplace_assistant/config.yaml');
    expect(nemoGymAssetPath('model-type', 'vllm_model')).toBe('responses_api_models/vllm_model/configs/vllm_model.yaml');
    expect(nemoGymAssetPath('model-type', 'openai_model/OpenAI/gpt-4.1')).toBe('responses_api_models/openai_model/configs/OpenAI/gpt-4.1.yaml');
    expect(nemoGymAssetPath('resources-server', 'workplace_assistant')).toBe('resources_servers/workplace_assistant/configs/workplace_assistant.yaml');
  });

  it('resolves the ones we stand in for to configs/, and lists what exists for the others', () => {
    expect(nemoGymConfigAlias('./responses_api_models/openai_model/configs/openai_model.yaml')).toBe('configs/openai_model.yaml');
    expect(nemoGymConfigAlias('responses_api_models/vllm_model/configs/vllm_model.yaml')).toBe('configs/chat_completions_model.yaml');
    expect(nemoGymConfigAlias('environments/workplace_assistant/config.yaml')).toBe('configs/workplace_assistant.yaml');
    expect(nemoGymDataAlias('environments/workplace_assistant/data/example.jsonl')).toBe('examples/workplace_assistant/example.jsonl');
    expect(() => assetConfigPath('environment', 'workplace_asistant', REPO_ROOT)).toThrow(/Did you mean workplace_assistant\? Available environments: workplace_assistant/);
    expect(() => assetConfigPath('model-type', 'anthropic_model', REPO_ROOT)).toThrow(/Available model types: openai_model, vllm_model/);
    expect(() => assetConfigPath('benchmark', 'aime24', REPO_ROOT)).toThrow(/has no benchmarks/);
  });
});
