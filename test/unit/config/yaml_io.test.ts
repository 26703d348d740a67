import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { parseConfigYaml, readConfigYamlFile, stringifyConfigYaml } from '../../../src/core/config/yaml_io.js';
import { TempTrees } from './temp_tree.js';

const trees = new TempTrees();
afterEach(() => trees.cleanup());

describe('parseConfigYaml', () => {
  it('reads YAML the way PyYAML/OmegaConf do', () => {
    const config = parseConfigYaml(
      ['enabled: yes', 'disabled: off', 'n: 5', 'y: why', 'date: 2024-01-01', 'octal: 010', 'big: 1_000', 'sci: 1e3', 'nothing: ~', 'text: hello'].join('\n'),
      'test.yaml',
    );
    expect(config).toEqual({ enabled: true, disabled: false, n: 5, y: 'why', date: '2024-01-01', octal: 8, big: 1000, sci: 1000, nothing: null, text: 'hello' });
  });

  it('keeps interpolations as strings and supports merge keys', () => {
    expect(parseConfigYaml('base: &b {a: 1}\nderived: {<<: *b, c: "${base.a}"}\n', 'x.yaml')).toEqual({ base: { a: 1 }, derived: { a: 1, c: '${base.a}' } });
  });

  it('treats an empty document as an empty mapping and rejects a top-level list', () => {
    expect(parseConfigYaml('', 'empty.yaml')).toEqual({});
    expect(parseConfigYaml('# only a comment\n', 'empty.yaml')).toEqual({});
    expect(() => parseConfigYaml('- a\n- b\n', 'list.yaml')).toThrow("'list.yaml' must hold a mapping of keys to values at the top level, not a list.");
  });

  it('names the file, line and column of a syntax error', () => {
    expect(() => parseConfigYaml('ok: 1\nbad: [1, 2\nnext: 3\n', '/cfg/bad.yaml')).toThrow(/^Malformed YAML in '\/cfg\/bad\.yaml' at line \d+, column \d+: /);
    const error = (() => {
      try {
        parseConfigYaml('a: 1\na: 2\n', 'dup.yaml');
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('config-file');
    expect(error?.message).toBe("Malformed YAML in 'dup.yaml' at line 2, column 1: Map keys must be unique");
  });

  it('keeps a __proto__ key as data', () => {
    const config = parseConfigYaml('__proto__: {polluted: true}\n', 'x.yaml');
    expect(Object.keys(config)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('readConfigYamlFile', () => {
  it('reads a real file and names an unreadable one', () => {
    const root = trees.create({ 'a.yaml': 'x: 1\n' });
    expect(readConfigYamlFile(`${root}/a.yaml`)).toEqual({ x: 1 });
    expect(() => readConfigYamlFile(`${root}/missing.yaml`)).toThrow(`Cannot read '${root}/missing.yaml' (ENOENT).`);
  });
});

describe('stringifyConfigYaml', () => {
  it('quotes strings PyYAML would read as something else, and round-trips', () => {
    const value = { a: 'yes', b: '1_000', c: '010', d: '2024-01-01', e: 'null', f: '5', g: 'plain', h: 'y', i: true, j: 1.5, k: null, l: '${x.y}' };
    const text = stringifyConfigYaml(value);
    for (const quoted of ['"yes"', '"1_000"', '"010"', '"2024-01-01"', '"null"', '"5"']) expect(text).toContain(quoted);
    expect(text).toContain('g: plain\n');
    expect(text).toContain('h: y\n');
    expect(text).toContain('l: ${x.y}\n');
    expect(parseConfigYaml(text, 'round-trip')).toEqual(value);
  });

  it('does not fold long strings', () => {
    const long = 'word '.repeat(60).trim();
    expect(stringifyConfigYaml({ long })).toBe(`long: ${long}\n`);
  });
});
