import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGlobalConfig, type LoadGlobalConfigOptions } from '../../../src/core/config/loader.js';
import { TempTrees } from './temp_tree.js';

const trees = new TempTrees();
afterEach(() => trees.cleanup());

function load(cwd: string, argv: string[], extra: Partial<LoadGlobalConfigOptions> = {}) {
  return loadGlobalConfig({ argv, cwd, installRoot: extra.installRoot ?? trees.create(), env: {}, command: 'ng_run', ...extra });
}

function loadError(cwd: string, argv: string[], extra: Partial<LoadGlobalConfigOptions> = {}): string {
  try {
    load(cwd, argv, extra);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected loading to fail');
}

describe('merge precedence', () => {
  it('is config files < env.yaml < command line, with dicts merged and lists replaced', () => {
    const cwd = trees.create({
      'configs/a.yaml': 'x: a\ny: a\nz: a\nw: a\nnested: {p: 1, q: 1}\nitems: [1, 2, 3]\n',
      'configs/b.yaml': 'y: b\nnested: {q: 2}\nitems: [9]\n',
      'env.yaml': 'z: env\nw: env\n',
    });
    const loaded = load(cwd, ['+config_paths=[configs/a.yaml,configs/b.yaml]', '+w=cli']);
    expect(loaded.config).toEqual({
      x: 'a',
      y: 'b',
      z: 'env',
      w: 'cli',
      nested: { p: 1, q: 2 },
      items: [9],
      config_paths: ['configs/a.yaml', 'configs/b.yaml'],
    });
    expect(loaded.configFiles).toEqual([join(cwd, 'configs/a.yaml'), join(cwd, 'configs/b.yaml')]);
    expect(loaded.envYamlPath).toBe(join(cwd, 'env.yaml'));
    expect(loaded.commandLineKeys).toEqual(['config_paths', 'w']);
  });

  it('puts the programmatic initial config over env.yaml and under the command line', () => {
    const cwd = trees.create({ 'env.yaml': 'a: env\nb: env\nc: env\n' });
    const loaded = load(cwd, ['+c=cli'], { initial: { b: 'initial', c: 'initial', d: { e: 1 } } });
    expect(loaded.config).toEqual({ a: 'env', b: 'initial', c: 'cli', d: { e: 1 } });
  });

  it('lets +key override env.yaml (NeMo Gym semantics) and key=value change a key from a file', () => {
    const cwd = trees.create({ 'env.yaml': 'policy_base_url: http://old/v1\n', 'c.yaml': 'limit: 10\n' });
    const loaded = load(cwd, ['+config_paths=[c.yaml]', '+policy_base_url=https://integrate.api.nvidia.com/v1', 'limit=5']);
    expect(loaded.config['policy_base_url']).toBe('https://integrate.api.nvidia.com/v1');
    expect(loaded.config['limit']).toBe(5);
    expect(loadError(cwd, ['+config_paths=[c.yaml]', 'limt=5'])).toContain("Did you mean 'limit'?");
  });

  it('reports malformed overrides with the command and argument', () => {
    const cwd = trees.create();
    expect(loadError(cwd, ['+a=1', '+b=[1,'])).toContain("ng_run: cannot parse override '+b=[1,' (argument 2): unterminated list");
  });
});

describe('config_paths', () => {
  it('pulls in nested config_paths transitively, once each; a file overrides what it pulled in', () => {
    const cwd = trees.create({
      'top.yaml': 'config_paths: [mid.yaml]\nk: top\nfrom_top: 1\n',
      'mid.yaml': 'config_paths: [leaf.yaml, top.yaml]\nk: mid\nm: mid\n',
      'leaf.yaml': 'k: leaf\nm: leaf\nl: leaf\n',
    });
    const loaded = load(cwd, ['+config_paths=[top.yaml]']);
    expect(loaded.configPaths).toEqual(['top.yaml', 'mid.yaml', 'leaf.yaml']);
    expect(loaded.configFiles).toEqual(['leaf.yaml', 'mid.yaml', 'top.yaml'].map((file) => join(cwd, file)));
    expect(loaded.config).toMatchObject({ k: 'top', m: 'mid', l: 'leaf', from_top: 1 });
    expect(loaded.config['config_paths']).toEqual(['top.yaml', 'mid.yaml', 'leaf.yaml']);
  });

  it('lets a later entry, with everything it pulled in, override an earlier one', () => {
    const cwd = trees.create({
      'first.yaml': 'config_paths: [first_base.yaml]\nk: first\n',
      'first_base.yaml': 'base: first_base\n',
      'second.yaml': 'config_paths: [second_base.yaml]\n',
      'second_base.yaml': 'k: second_base\nbase: second_base\n',
    });
    const loaded = load(cwd, ['+config_paths=[first.yaml,second.yaml]']);
    expect(loaded.config).toMatchObject({ k: 'second_base', base: 'second_base' });
    expect(loaded.configPaths).toEqual(['first.yaml', 'second.yaml', 'first_base.yaml', 'second_base.yaml']);
  });

  it('looks in the working directory first, then the install root', () => {
    const installRoot = trees.create({ 'configs/model.yaml': 'where: install\n', 'configs/only_installed.yaml': 'installed: true\n' });
    const cwd = trees.create({ 'configs/model.yaml': 'where: cwd\n' });
    const loaded = load(cwd, ['+config_paths=[configs/model.yaml,configs/only_installed.yaml]'], { installRoot });
    expect(loaded.config).toMatchObject({ where: 'cwd', installed: true });
    expect(loaded.configFiles).toEqual([join(cwd, 'configs/model.yaml'), join(installRoot, 'configs/only_installed.yaml')]);
  });

  it('accepts absolute paths', () => {
    const elsewhere = trees.create({ 'abs.yaml': 'abs: 1\n' });
    expect(load(trees.create(), [`+config_paths=[${join(elsewhere, 'abs.yaml')}]`]).config['abs']).toBe(1);
  });

  it('names a missing file and both places it looked', () => {
    const installRoot = trees.create();
    const cwd = trees.create();
    const message = loadError(cwd, ['+config_paths=[configs/nope.yaml]'], { installRoot });
    expect(message).toBe(
      `config_paths entry 'configs/nope.yaml' was not found. Looked in:\n  - ${join(cwd, 'configs/nope.yaml')}\n  - ${join(installRoot, 'configs/nope.yaml')}\n` +
        'Relative paths are looked up in the working directory, then in the Gym Rollouts install root; check the spelling or run from the directory the path is relative to.',
    );
  });

  it("reads NeMo Gym's config paths as ours, unless the path exists in the working directory", () => {
    const installRoot = trees.create({ 'configs/openai_model.yaml': 'ours: 1\n', 'configs/workplace_assistant.yaml': 'env: 1\n' });
    const paths = '+config_paths=[responses_api_models/openai_model/configs/openai_model.yaml,./environments/workplace_assistant/config.yaml]';
    expect(load(trees.create(), [paths], { installRoot }).configFiles).toEqual([join(installRoot, 'configs/openai_model.yaml'), join(installRoot, 'configs/workplace_assistant.yaml')]);
    const checkout = trees.create({ 'responses_api_models/openai_model/configs/openai_model.yaml': 'theirs: 1\n' });
    expect(load(checkout, ['+config_paths=[responses_api_models/openai_model/configs/openai_model.yaml]'], { installRoot }).config).toEqual({ theirs: 1, config_paths: ['responses_api_models/openai_model/configs/openai_model.yaml'] });
    expect(loadError(trees.create(), ['+config_paths=[responses_api_models/anthropic_model/configs/anthropic_model.yaml]'], { installRoot })).toContain(
      "NeMo Gym's config paths that Gym Rollouts stands in for: responses_api_models/openai_model/configs/openai_model.yaml, ",
    );
  });

  it('names the file that listed a missing nested path', () => {
    const cwd = trees.create({ 'a.yaml': 'config_paths: [gone.yaml]\n' });
    expect(loadError(cwd, ['+config_paths=[a.yaml]'], { installRoot: cwd })).toContain(`config_paths entry 'gone.yaml' (listed in config_paths of ${join(cwd, 'a.yaml')}) was not found.`);
  });

  it('reports malformed YAML with the file, line and column', () => {
    const cwd = trees.create({ 'broken.yaml': 'a: 1\nb: [1, 2\nc: 3\n' });
    expect(loadError(cwd, ['+config_paths=[broken.yaml]'])).toMatch(new RegExp(`^Malformed YAML in '${join(cwd, 'broken.yaml')}' at line \\d+, column \\d+: .+`));
  });

  it('comes from env.yaml when the command line does not give it', () => {
    const cwd = trees.create({ 'env.yaml': 'config_paths: [m.yaml]\npolicy_model_name: x\n', 'm.yaml': 'm: 1\n' });
    expect(load(cwd, []).config).toEqual({ m: 1, policy_model_name: 'x', config_paths: ['m.yaml'] });
  });

  it('can be an interpolation of a list kept in env.yaml', () => {
    const cwd = trees.create({ 'env.yaml': 'my_paths: [a.yaml, b.yaml]\n', 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 2\n' });
    const loaded = load(cwd, ['+config_paths=${my_paths}']);
    expect(loaded.config).toMatchObject({ a: 1, b: 2, config_paths: ['a.yaml', 'b.yaml'] });
  });

  it('can use ${oc.env:...} and a single path string', () => {
    const cwd = trees.create({ 'from_env.yaml': 'e: 1\n', 'single.yaml': 's: 1\n' });
    expect(load(cwd, ['+config_paths=[${oc.env:CFG}]'], { env: { CFG: 'from_env.yaml' } }).config['e']).toBe(1);
    expect(load(cwd, ['+config_paths=single.yaml']).config).toMatchObject({ s: 1, config_paths: ['single.yaml'] });
  });

  it('rejects a config_paths that is not a list of paths', () => {
    const cwd = trees.create();
    expect(loadError(cwd, ['+config_paths=5'])).toContain('config_paths must be a list of YAML files');
    expect(loadError(cwd, ['+config_paths=[a.yaml,3]'])).toContain('item 2 is 3');
  });

  it('leaves config_paths out when there is none', () => {
    expect(load(trees.create(), ['+a=1']).config).toEqual({ a: 1 });
  });
});

describe('env.yaml', () => {
  it("uses the working directory's env.yaml, else the install root's", () => {
    const installRoot = trees.create({ 'env.yaml': 'source: install\n' });
    const withOwn = trees.create({ 'env.yaml': 'source: cwd\n' });
    const without = trees.create();
    expect(load(withOwn, [], { installRoot }).config['source']).toBe('cwd');
    const fromInstall = load(without, [], { installRoot });
    expect(fromInstall.config['source']).toBe('install');
    expect(fromInstall.envYamlPath).toBe(join(installRoot, 'env.yaml'));
  });

  it('may be absent', () => {
    expect(load(trees.create(), []).envYamlPath).toBeUndefined();
  });
});
