import { describe, expect, it } from 'vitest';
import { InterpolationError, referencedPaths, resolve, resolveConfig } from '../../../src/core/config/interpolation.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

const noEnv = { env: {} };

function resolveError(config: ConfigDict, path?: string, env: Record<string, string> = {}): InterpolationError {
  try {
    resolve(config, path, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(InterpolationError);
    return error as InterpolationError;
  }
  throw new Error('expected resolution to fail');
}

const modelConfig: ConfigDict = {
  policy_model: {
    responses_api_models: {
      openai_model: {
        entrypoint: 'app.py',
        openai_base_url: '${policy_base_url}',
        openai_api_key: '${policy_api_key}',
        openai_model: '${policy_model_name}',
      },
    },
  },
};

describe('absolute references', () => {
  it('resolve dotted paths and keep the type of a whole-string interpolation', () => {
    const config: ConfigDict = {
      server: { host: '127.0.0.1', port: 11000, flags: { on: true }, list: [1, 2] },
      port: '${server.port}',
      on: '${server.flags.on}',
      flags: '${server.flags}',
      first: '${server.list.0}',
      second: '${server.list[1]}',
      nothing: null,
      copy_of_nothing: '${nothing}',
    };
    const resolved = resolveConfig(config, noEnv);
    expect(resolved['port']).toBe(11000);
    expect(resolved['on']).toBe(true);
    expect(resolved['flags']).toEqual({ on: true });
    expect(resolved['first']).toBe(1);
    expect(resolved['second']).toBe(2);
    expect(resolved['copy_of_nothing']).toBeNull();
  });

  it('format values inside longer strings as Python str() does', () => {
    const config: ConfigDict = {
      host: '127.0.0.1',
      port: 8000,
      debug: true,
      ratio: 0.5,
      none: null,
      url: 'http://${host}:${port}/v1',
      text: '${debug}/${ratio}/${none}',
    };
    expect(resolve(config, 'url', noEnv)).toBe('http://127.0.0.1:8000/v1');
    expect(resolve(config, 'text', noEnv)).toBe('True/0.5/None');
  });

  it('follow chains and nested key interpolations', () => {
    const config: ConfigDict = {
      which: 'b',
      models: { a: 'model-a', b: 'model-b' },
      chosen: '${models.${which}}',
      alias: '${chosen}',
      alias2: '${alias}',
    };
    expect(resolve(config, 'alias2', noEnv)).toBe('model-b');
  });

  it('walk through an intermediate node that is itself an interpolation', () => {
    const config: ConfigDict = { real: { inner: { x: 42 } }, pointer: '${real}', value: '${pointer.inner.x}' };
    expect(resolve(config, 'value', noEnv)).toBe(42);
  });

  it('resolve a model server config from the policy keys', () => {
    const config: ConfigDict = {
      ...modelConfig,
      policy_base_url: 'https://integrate.api.nvidia.com/v1',
      policy_api_key: 'nvapi-secret',
      policy_model_name: 'openai/gpt-oss-120b',
    };
    expect(resolve(config, 'policy_model.responses_api_models.openai_model', noEnv)).toEqual({
      entrypoint: 'app.py',
      openai_base_url: 'https://integrate.api.nvidia.com/v1',
      openai_api_key: 'nvapi-secret',
      openai_model: 'openai/gpt-oss-120b',
    });
  });

  it('are lazy: resolving one subtree ignores broken interpolations elsewhere', () => {
    const config: ConfigDict = { good: { a: '${value}' }, value: 1, broken: '${does.not.exist}' };
    expect(resolve(config, 'good', noEnv)).toEqual({ a: 1 });
    expect(resolve(config, ['good', 'a'], noEnv)).toBe(1);
  });
});

describe('relative references', () => {
  it('resolve ${.sibling} and ${..uncle} from the node holding them', () => {
    const config: ConfigDict = {
      name: 'top',
      server: { host: 'h', port: 1, url: 'http://${.host}:${.port}', parent_name: '${..name}', deep: { up2: '${..host}' } },
    };
    const server = resolve(config, 'server', noEnv) as ConfigDict;
    expect(server['url']).toBe('http://h:1');
    expect(server['parent_name']).toBe('top');
    expect((server['deep'] as ConfigDict)['up2']).toBe('h');
  });

  it('reject going above the root', () => {
    expect(resolveError({ a: '${...x}' }, 'a').message).toContain('goes above the top of the config');
  });
});

describe('oc.env', () => {
  const config: ConfigDict = {
    key: '${oc.env:NVIDIA_API_KEY}',
    with_default: '${oc.env:MISSING_VAR,fallback}',
    quoted_default: "${oc.env:MISSING_VAR,'a, b'}",
    number_default: '${oc.env:MISSING_VAR,8080}',
    null_default: '${oc.env:MISSING_VAR,null}',
    nested_default: '${oc.env:MISSING_VAR,${fallback_key}}',
    fallback_key: 'from-config',
    port: '${oc.env:PORT}',
    in_text: 'Bearer ${oc.env:NVIDIA_API_KEY}',
  };
  const env = { NVIDIA_API_KEY: 'nvapi-123456', PORT: '9000' };

  it('reads variables, as strings', () => {
    expect(resolve(config, 'key', { env })).toBe('nvapi-123456');
    expect(resolve(config, 'port', { env })).toBe('9000');
    expect(resolve(config, 'in_text', { env })).toBe('Bearer nvapi-123456');
  });

  it('falls back to the default: a string, or null', () => {
    expect(resolve(config, 'with_default', { env })).toBe('fallback');
    expect(resolve(config, 'quoted_default', { env })).toBe('a, b');
    expect(resolve(config, 'number_default', { env })).toBe('8080');
    expect(resolve(config, 'null_default', { env })).toBeNull();
    expect(resolve(config, 'nested_default', { env })).toBe('from-config');
  });

  it('prefers a set variable, even an empty one, over the default', () => {
    expect(resolve(config, 'with_default', { env: { MISSING_VAR: '' } })).toBe('');
  });

  it('explains an unset variable without a default', () => {
    const error = resolveError(config, 'key');
    expect(error.message).toBe('The environment variable NVIDIA_API_KEY is not set (used by key). Export it, or give a default: ${oc.env:NVIDIA_API_KEY,<default>}.');
  });
});

describe('oc.select', () => {
  it('selects a key or falls back to a default', () => {
    const config: ConfigDict = { a: 5, got: '${oc.select:a,1}', fallback: '${oc.select:missing.key,7}', none: '${oc.select:missing}' };
    expect(resolveConfig(config, noEnv)).toMatchObject({ got: 5, fallback: 7, none: null });
  });
});

describe('escapes', () => {
  it('turn \\${ into a literal ${ and keep other backslashes', () => {
    const config: ConfigDict = { x: 1, literal: 'cost: \\${x}', backslash_then_value: 'C:\\\\${x}', windows: 'C:\\dir\\${x}' };
    expect(resolve(config, 'literal', noEnv)).toBe('cost: ${x}');
    expect(resolve(config, 'backslash_then_value', noEnv)).toBe('C:\\1');
    expect(resolve(config, 'windows', noEnv)).toBe('C:\\dir${x}');
  });

  it('leave strings without ${ untouched', () => {
    expect(resolve({ s: 'a\\b $HOME {x}' }, 's', noEnv)).toBe('a\\b $HOME {x}');
  });
});

describe('errors', () => {
  it('name the missing key, its user, and how to set it (NeMo Gym #2227)', () => {
    const error = resolveError(modelConfig, 'policy_model');
    expect(error.message).toBe(
      'policy_base_url is not set (used by policy_model.responses_api_models.openai_model.openai_base_url). ' +
        'Pass +policy_base_url=... on the command line or put it in env.yaml.',
    );
    expect(error.missingKey).toBe('policy_base_url');
    expect(error.usedBy).toBe('policy_model.responses_api_models.openai_model.openai_base_url');
    expect(error.stack).toBeDefined();
  });

  it('show relative references and nested missing keys', () => {
    expect(resolveError({ a: { b: '${.c}' } }, 'a').message).toBe('a.c is not set (used by a.b through ${.c}). Pass +a.c=... on the command line or put it in env.yaml.');
    expect(resolveError({ a: { x: 1 }, b: '${a.y.z}' }, 'b').message).toContain('a.y.z is not set (used by b)');
    expect(resolveError({ a: 5, b: '${a.y}' }, 'b').message).toContain('a.y cannot be looked up (used by b): a is 5, not a mapping.');
  });

  it('detect cycles, direct and indirect', () => {
    expect(resolveError({ a: '${b}', b: '${a}' }, 'a').message).toBe('Interpolation cycle: a -> b -> a. Set one of these keys to a plain value to break the loop.');
    expect(resolveError({ a: '${a}' }, 'a').message).toContain('Interpolation cycle: a -> a');
    expect(resolveError({ a: { b: '${a}' } }).message).toContain('Interpolation cycle: a -> a.b -> a');
  });

  it("report '???' mandatory values", () => {
    expect(resolveError({ m: { name: '???' } }, 'm').message).toBe(
      "m.name is required but not set (it is '???'). Pass +m.name=... on the command line or set it in env.yaml or a config file.",
    );
  });

  it('report unknown resolvers and syntax errors in one line each', () => {
    expect(resolveError({ a: '${swap_key:x.y}' }, 'a').message).toContain("uses the resolver 'swap_key' (${swap_key:x.y}), which is not available here");
    expect(resolveError({ a: 'x ${b' }, 'a').message).toContain('Cannot read the interpolation in a ("x ${b"): unterminated interpolation');
  });

  it('name a path that is not in the config at all', () => {
    expect(resolveError({ a: 1 }, 'b.c').message).toBe('b.c is not in the config.');
  });
});

describe('referencedPaths', () => {
  it('lists the absolute paths interpolations read', () => {
    const config: ConfigDict = {
      ...modelConfig,
      s: { url: '${.host}', env: '${oc.env:X,${fallback}}', chosen: '${models.${which}}' },
      bad: '${unterminated',
    };
    expect(referencedPaths(config)).toEqual([
      ['policy_base_url'],
      ['policy_api_key'],
      ['policy_model_name'],
      ['s', 'host'],
      ['fallback'],
      ['which'],
      ['models'],
    ]);
  });
});
