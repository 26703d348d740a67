import { describe, expect, it } from 'vitest';
import { applyOverrides, commandLineKeys, parseOverrides } from '../../../src/core/config/overrides.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

function apply(base: ConfigDict, argv: string[], lenient = false) {
  return applyOverrides(base, parseOverrides(argv, 'ng_run'), { command: 'ng_run', lenient });
}

function applyError(base: ConfigDict, argv: string[]): string {
  try {
    apply(base, argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the overrides to be rejected');
}

describe('applyOverrides', () => {
  it('adds keys and creates nesting for dotted keys', () => {
    const { config, commandLine } = apply({}, ['+limit=5', '+responses_create_params.temperature=0.5', '+responses_create_params.max_output_tokens=100']);
    expect(config).toEqual({ limit: 5, responses_create_params: { temperature: 0.5, max_output_tokens: 100 } });
    expect(commandLine).toEqual(config);
  });

  it('does not modify the base', () => {
    const base: ConfigDict = { a: { b: 1 } };
    apply(base, ['++a.b=2', '~a']);
    expect(base).toEqual({ a: { b: 1 } });
  });

  it('lets + override what config files and env.yaml set, as NeMo Gym does', () => {
    const { config } = apply({ policy_base_url: 'http://from-env-yaml/v1' }, ['+policy_base_url=https://integrate.api.nvidia.com/v1']);
    expect(config['policy_base_url']).toBe('https://integrate.api.nvidia.com/v1');
  });

  it('rejects + on a key an earlier argument set, naming it and suggesting ++', () => {
    const message = applyError({}, ['+limit=5', '+limit=6']);
    expect(message).toBe(
      "ng_run: cannot apply '+limit=6' (argument 2): argument 1 ('+limit=5') already set 'limit'. " +
        'A single + adds a key that is not set yet; write ++limit=6 to add or override it.',
    );
    expect(applyError({}, ['+a={b: 1}', '+a.b=2'])).toContain("argument 1 ('+a={b: 1}') already set 'a.b'");
  });

  it('follows Hydra: + may replace a null and may merge a dict or a list into an existing key', () => {
    expect(apply({}, ['+x=null', '+x=5']).config).toEqual({ x: 5 });
    expect(apply({}, ['+r={a: 1}', '+r={b: 2}']).config).toEqual({ r: { a: 1, b: 2 } });
    expect(apply({}, ['+l=[1,2]', '+l=[3]']).config).toEqual({ l: [3] });
  });

  it('++ adds or overrides; dicts merge into dicts, lists and scalars replace', () => {
    const base: ConfigDict = { r: { temperature: 1, max_output_tokens: 10 }, l: [1, 2, 3], s: 'x' };
    const { config } = apply(base, ['++r={temperature: 0.7}', '++l=[9]', '++s={now: dict}', '++new=1', '++new=2']);
    expect(config).toEqual({ r: { temperature: 0.7, max_output_tokens: 10 }, l: [9], s: { now: 'dict' }, new: 2 });
  });

  it('key=value changes a key that exists anywhere in the base, including a list item', () => {
    const base: ConfigDict = { limit: 10, model: { names: ['a', 'b'] } };
    expect(apply(base, ['limit=5', 'model.names.1=c']).config).toEqual({ limit: 5, model: { names: ['a', 'c'] } });
  });

  it("rejects key=value on a missing key, explaining Hydra's meaning and suggesting a close key", () => {
    const message = applyError({ limit: 10 }, ['limt=5']);
    expect(message).toContain("ng_run: cannot apply 'limt=5' (argument 1): there is no 'limt' in the config.");
    expect(message).toContain('A bare key=value changes a key that a config file, env.yaml or an earlier argument already defines');
    expect(message).toContain('write +limt=5 (or ++limt=5 to add or override)');
    expect(message).toContain("Did you mean 'limit'?");
    expect(applyError({ r: { temperature: 1 } }, ['r.temprature=0.5'])).toContain("Did you mean 'r.temperature'?");
  });

  it('deletes keys with ~, optionally only when the value matches', () => {
    const base: ConfigDict = { a: { b: 1, c: 2 }, d: [1, 2], e: null };
    expect(apply(base, ['~a.b', '~d', '~e']).config).toEqual({ a: { c: 2 } });
    expect(apply(base, ['~a.b=1']).config).toEqual({ a: { c: 2 }, d: [1, 2], e: null });
    expect(applyError(base, ['~a.b=7'])).toContain("'a.b' is 1, not 7, so it was not deleted.");
    expect(applyError(base, ['~zzz'])).toContain("there is no 'zzz' in the config to delete.");
    expect(apply({}, ['+x=1', '~x']).commandLine).toEqual({});
  });

  it('refuses to nest under a value that is not a mapping', () => {
    expect(applyError({}, ['+a=5', '++a.b=1'])).toContain("'a' is 5, not a mapping, so it cannot hold 'b'.");
    expect(applyError({ l: [1] }, ['l.3=2'])).toContain('there is no');
  });

  it('in lenient mode, sets missing keys and ignores deleting missing ones', () => {
    expect(apply({}, ['limit=5', '~nothing'], true).config).toEqual({ limit: 5 });
  });

  it('reports the top-level keys the command line set', () => {
    expect(commandLineKeys(parseOverrides(['+a.b=1', '++c=2', 'd=3', '~e', '+a.x=4'], 'ng_run'))).toEqual(['a', 'c', 'd']);
  });
});
