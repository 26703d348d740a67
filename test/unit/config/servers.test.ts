import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { applyServerAddresses, findServers, headServerAddress } from '../../../src/core/config/servers.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

function workplaceConfig(): ConfigDict {
  return {
    config_paths: ['configs/openai_model.yaml'],
    head_server: { host: '127.0.0.1', port: 11000 },
    policy_base_url: 'https://integrate.api.nvidia.com/v1',
    limit: 5,
    responses_create_params: { temperature: 0.7 },
    policy_model: {
      responses_api_models: {
        openai_model: { entrypoint: 'app.py', openai_base_url: '${policy_base_url}' },
      },
    },
    workplace_assistant: {
      resources_servers: { workplace_assistant: { entrypoint: 'app.py', domain: 'agent' } },
    },
    workplace_assistant_simple_agent: {
      responses_api_agents: {
        simple_agent: {
          entrypoint: 'app.py',
          resources_server: { type: 'resources_servers', name: 'workplace_assistant' },
          model_server: { type: 'responses_api_models', name: 'policy_model' },
          datasets: [{ name: 'example', type: 'example', jsonl_fpath: 'data/example.jsonl' }],
        },
      },
    },
  };
}

function serverError(config: ConfigDict, options: Parameters<typeof findServers>[1] = {}): string {
  try {
    findServers(config, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected findServers to fail');
}

describe('findServers', () => {
  it('finds the three server blocks and nothing else', () => {
    const { servers, almostServers } = findServers(workplaceConfig());
    expect(servers.map(({ name, serverType, implementation }) => ({ name, serverType, implementation }))).toEqual([
      { name: 'policy_model', serverType: 'responses_api_models', implementation: 'openai_model' },
      { name: 'workplace_assistant', serverType: 'resources_servers', implementation: 'workplace_assistant' },
      { name: 'workplace_assistant_simple_agent', serverType: 'responses_api_agents', implementation: 'simple_agent' },
    ]);
    expect(servers[0]!.config).toEqual({ entrypoint: 'app.py', openai_base_url: '${policy_base_url}' });
    expect(almostServers).toEqual([]);
  });

  it('with skipServersWithoutPeers, leaves out servers whose peer type is absent, but still fails on a typo', () => {
    const config = workplaceConfig();
    delete config.policy_model;
    const { servers, skippedServers } = findServers(config, { skipServersWithoutPeers: true });
    expect(servers.map((server) => server.name)).toEqual(['workplace_assistant']);
    expect(skippedServers).toEqual([
      { name: 'workplace_assistant_simple_agent', reason: "it needs the responses_api_models server 'policy_model', and no loaded config defines one" },
    ]);
    expect(serverError(config)).toMatch(/refers to responses_api_models 'policy_model', which is not defined/);
    const typo = workplaceConfig();
    ((typo.workplace_assistant_simple_agent as ConfigDict).responses_api_agents as ConfigDict).simple_agent = {
      resources_server: { type: 'resources_servers', name: 'workplace_assistent' },
      model_server: { type: 'responses_api_models', name: 'policy_model' },
    };
    expect(serverError(typo, { skipServersWithoutPeers: true })).toMatch(/Did you mean 'workplace_assistant'\?/);
  });

  it('does not need an entrypoint and accepts keys next to the server type', () => {
    const config: ConfigDict = { m: { responses_api_models: { fake: { x: 1 } }, description: 'a fake model' } };
    expect(findServers(config).servers).toHaveLength(1);
  });

  it('never treats reserved keys as servers', () => {
    const config: ConfigDict = { head_server: { responses_api_models: { weird: {} } }, tasksets: { resources_servers: 5 } };
    expect(findServers(config)).toEqual({ servers: [], almostServers: [], skippedServers: [] });
  });

  it('rejects almost-servers with the reason, unless error_on_almost_servers=false', () => {
    const config: ConfigDict = {
      two_impls: { responses_api_models: { a: {}, b: {} } },
      not_a_dict: { responses_api_agents: 'simple_agent' },
      two_types: { responses_api_models: { a: {} }, resources_servers: { b: { domain: 'agent' } } },
      bad_port: { responses_api_models: { a: { port: 'eighty' } } },
      scalar_impl: { responses_api_models: { a: 5 } },
    };
    const message = serverError(config);
    expect(message).toContain('These blocks look like a server but cannot be started:');
    expect(message).toContain('- two_impls: responses_api_models should name exactly one implementation, found a, b');
    expect(message).toContain('- not_a_dict: responses_api_agents should map one implementation name to its config, but it is "simple_agent"');
    expect(message).toContain('- two_types: it has responses_api_models and resources_servers; a server has exactly one server type');
    expect(message).toContain('- bad_port: port should be a whole number from 1 to 65535, not "eighty"');
    expect(message).toContain('- scalar_impl: the config of responses_api_models.a should be a mapping, but it is 5');
    expect(message).toContain('pass +error_on_almost_servers=false to skip it');

    const skipped = findServers({ ...config, error_on_almost_servers: false, good: { responses_api_models: { m: {} } } });
    expect(skipped.servers.map((server) => server.name)).toEqual(['good']);
    expect(skipped.almostServers.map((almost) => almost.name)).toEqual(['two_impls', 'not_a_dict', 'two_types', 'bad_port', 'scalar_impl']);
    expect(findServers(config, { errorOnAlmostServers: false }).servers).toEqual([]);
  });

  it('requires a valid domain for resources servers', () => {
    expect(serverError({ r: { resources_servers: { impl: {} } } })).toContain('- r: a resources server needs a domain (one of math, coding, agent,');
    expect(serverError({ r: { resources_servers: { impl: { domain: 'cooking' } } } })).toContain('domain "cooking" is not one of math');
  });

  it('reads checked fields through interpolations', () => {
    const config: ConfigDict = {
      my_domain: 'agent',
      r: { resources_servers: { impl: { domain: '${my_domain}', port: '${oc.env:PORT}' } } },
    };
    expect(findServers(config, { env: { PORT: '12345' } }).servers).toHaveLength(1);
    expect(serverError(config, { env: { PORT: 'x' } })).toContain('port should be a whole number');
  });

  it('checks server references at any depth and lists what exists', () => {
    const config = workplaceConfig();
    const agent = (config['workplace_assistant_simple_agent'] as ConfigDict)['responses_api_agents'] as ConfigDict;
    (agent['simple_agent'] as ConfigDict)['model_server'] = { type: 'responses_api_models', name: 'policy_modle' };
    (agent['simple_agent'] as ConfigDict)['judges'] = [{ judge: { type: 'resources_servers', name: 'nowhere' } }];
    const message = serverError(config);
    expect(message).toContain(
      "In server 'workplace_assistant_simple_agent', model_server refers to responses_api_models 'policy_modle', which is not defined. Did you mean 'policy_model'? Available responses_api_models: policy_model.",
    );
    expect(message).toContain("judges[0].judge refers to resources_servers 'nowhere', which is not defined. Available resources_servers: workplace_assistant.");
  });

  it('ignores {type, name} dicts whose type is not a server type', () => {
    expect(findServers(workplaceConfig()).servers).toHaveLength(3);
  });
});

describe('headServerAddress', () => {
  it('defaults to 127.0.0.1:11000 and follows head_server and default_host', () => {
    expect(headServerAddress({})).toEqual({ host: '127.0.0.1', port: 11000 });
    expect(headServerAddress({ default_host: '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 11000 });
    expect(headServerAddress({ head_server: { host: '10.0.0.2', port: '12000' } })).toEqual({ host: '10.0.0.2', port: 12000 });
    expect(() => headServerAddress({ head_server: { port: 99999 } })).toThrow('head_server.port should be a whole number from 1 to 65535, not 99999.');
  });
});

describe('applyServerAddresses', () => {
  it('writes host and port into each server block, head_server and disallowed_ports', () => {
    const config = workplaceConfig();
    const servers = findServers(config).servers.map((server, index) => ({ ...server, host: '127.0.0.1', port: 15000 + index }));
    const updated = applyServerAddresses(config, servers, { host: '127.0.0.1', port: 11000 });
    expect(((updated['policy_model'] as ConfigDict)['responses_api_models'] as ConfigDict)['openai_model']).toMatchObject({ host: '127.0.0.1', port: 15000 });
    expect(updated['disallowed_ports']).toEqual([11000, 15000, 15001, 15002]);
    expect(updated['head_server']).toEqual({ host: '127.0.0.1', port: 11000 });
    expect(((config['policy_model'] as ConfigDict)['responses_api_models'] as ConfigDict)['openai_model']).not.toHaveProperty('port');
  });
});
