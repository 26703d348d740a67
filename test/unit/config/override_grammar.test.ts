import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { parseOverride, parseOverrides } from '../../../src/core/config/overrides.js';
import type { ConfigValue } from '../../../src/core/config/value.js';

function valueOf(argument: string): ConfigValue | undefined {
  return parseOverride(argument, 1, 'ng_run').value;
}

function errorOf(argument: string, index = 1, command = 'ng_run'): string {
  try {
    parseOverride(argument, index, command);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`expected '${argument}' to be rejected`);
}

describe('Hydra value typing', () => {
  it.each<[string, ConfigValue]>([
    ['+x=5', 5],
    ['+x=-20', -20],
    ['+x=+7', 7],
    ['+x=0', 0],
    ['+x=1_000', 1000],
    ['+x=1_000_000', 1_000_000],
    ['+x=3.14', 3.14],
    ['+x=-20.0', -20],
    ['+x=1e-3', 0.001],
    ['+x=-10e3', -10000],
    ['+x=1E5', 100000],
    ['+x=1.', 1],
    ['+x=.5', 0.5],
    ['+x=1.5e-7', 1.5e-7],
    ['+x=true', true],
    ['+x=True', true],
    ['+x=TRUE', true],
    ['+x=TrUe', true],
    ['+x=false', false],
    ['+x=FALSE', false],
    ['+x=null', null],
    ['+x=NULL', null],
    ['+x=Null', null],
  ])('%s is typed', (argument, expected) => {
    expect(valueOf(argument)).toEqual(expected);
  });

  it('types inf and nan as floats in any case', () => {
    expect(valueOf('+x=inf')).toBe(Infinity);
    expect(valueOf('+x=-inf')).toBe(-Infinity);
    expect(valueOf('+x=+INF')).toBe(Infinity);
    expect(valueOf('+x=nan')).toBeNaN();
    expect(valueOf('+x=NaN')).toBeNaN();
  });

  it.each<[string, string]>([
    ['+x=010', '010'], // INT_UNSIGNED has no leading zeros: two INT tokens, so a string
    ['+x=007', '007'],
    ['+x=1__000', '1__000'],
    ['+x=1_000_', '1_000_'],
    ['+x=1.2.3', '1.2.3'],
    ['+x=127.0.0.1', '127.0.0.1'],
    ['+x=infinity', 'infinity'],
    ['+x=nan1', 'nan1'],
    ['+x=truely', 'truely'],
    ['+x=nullable', 'nullable'],
    ['+x=true false', 'true false'],
    ['+x=1 2', '1 2'],
    ['+x=0x1F', '0x1F'],
  ])('%s stays a string, as in Hydra', (argument, expected) => {
    expect(valueOf(argument)).toBe(expected);
  });

  it('keeps URLs, paths, model names and API-key-like words as strings', () => {
    expect(valueOf('+policy_base_url=https://integrate.api.nvidia.com/v1')).toBe('https://integrate.api.nvidia.com/v1');
    expect(valueOf('++policy_base_url=http://0.0.0.0:10240/v1')).toBe('http://0.0.0.0:10240/v1');
    expect(valueOf('+policy_model_name=openai/gpt-oss-120b')).toBe('openai/gpt-oss-120b');
    expect(valueOf('+input_jsonl_fpath=data/example.jsonl')).toBe('data/example.jsonl');
    expect(valueOf('+p=/abs/path/to/file-1.yaml')).toBe('/abs/path/to/file-1.yaml');
    expect(valueOf('+policy_api_key=nvapi-AbC_12-xyz')).toBe('nvapi-AbC_12-xyz');
    expect(valueOf('+x=a@b.c?d|e%f*g')).toBe('a@b.c?d|e%f*g');
    expect(valueOf('+x=-')).toBe('-');
    expect(valueOf('+x=:')).toBe(':');
    expect(valueOf('+name=café')).toBe('café');
  });

  it('keeps ${...} interpolations as strings, alone or inside text', () => {
    expect(valueOf('+x=${policy_base_url}')).toBe('${policy_base_url}');
    expect(valueOf('+x=${oc.env:HOME,/tmp}')).toBe('${oc.env:HOME,/tmp}');
    expect(valueOf('+x=http://${host}:${port}/v1')).toBe('http://${host}:${port}/v1');
    expect(valueOf('+config_paths=${my_paths}')).toBe('${my_paths}');
  });

  it('strips blanks after = and at the end, keeps inner blanks, and reads an empty value as ""', () => {
    expect(valueOf('+x=  hello world  ')).toBe('hello world');
    expect(valueOf('+x=a\tb')).toBe('a\tb');
    expect(valueOf('+x=')).toBe('');
    expect(valueOf('+x=   ')).toBe('');
  });

  it('unescapes \\, \\  \\= \\: \\\\ and friends in unquoted values', () => {
    expect(valueOf('+x=a\\,b')).toBe('a,b');
    expect(valueOf('+x=a\\ b')).toBe('a b');
    expect(valueOf('+x=key\\=value')).toBe('key=value');
    expect(valueOf('+x=a\\:b')).toBe('a:b');
    expect(valueOf('+x=C:\\\\dir')).toBe('C:\\dir');
    expect(valueOf('+x=\\(x\\)\\[y\\]\\{z\\}')).toBe('(x)[y]{z}');
  });
});

describe('quoted strings', () => {
  it('are always strings, with commas, blanks, brackets and = inside', () => {
    expect(valueOf("+x='a,b'")).toBe('a,b');
    expect(valueOf('+x="hello, world"')).toBe('hello, world');
    expect(valueOf("+x='10'")).toBe('10');
    expect(valueOf("+x='true'")).toBe('true');
    expect(valueOf("+x='null'")).toBe('null');
    expect(valueOf("+x='[1,2]'")).toBe('[1,2]');
    expect(valueOf("+key='abc=='")).toBe('abc==');
    expect(valueOf("+x=''")).toBe('');
    expect(valueOf("+x=\"it's\"")).toBe("it's");
    expect(valueOf('+x=\'say "hi"\'')).toBe('say "hi"');
  });

  it('unescape only backslashes before a matching quote', () => {
    expect(valueOf("+x='it\\'s'")).toBe("it's");
    expect(valueOf('+x="a\\"b"')).toBe('a"b');
    expect(valueOf("+x='C:\\temp\\new'")).toBe('C:\\temp\\new');
    expect(valueOf("+x='abc\\\\'")).toBe('abc\\');
    expect(valueOf("+x='\\\\'")).toBe('\\');
    expect(valueOf("+x='a\\\\\\'b'")).toBe("a\\'b");
    expect(valueOf('+x="a\\\'b"')).toBe("a\\'b");
  });

  it('keep interpolations for OmegaConf to resolve, including nested ones', () => {
    expect(valueOf("+x='${oc.env:A,${b}}'")).toBe('${oc.env:A,${b}}');
  });
});

describe('lists and dicts', () => {
  it('parse NeMo Gym command lines', () => {
    expect(valueOf('+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]')).toEqual([
      'configs/openai_model.yaml',
      'configs/workplace_assistant.yaml',
    ]);
    expect(valueOf('+responses_create_params={temperature: 0.7, max_tokens: 2048}')).toEqual({ temperature: 0.7, max_tokens: 2048 });
    expect(valueOf('+head_server={host: 127.0.0.1, port: 11000}')).toEqual({ host: '127.0.0.1', port: 11000 });
  });

  it('nest, type their items and accept blanks around separators', () => {
    expect(valueOf('+x=[]')).toEqual([]);
    expect(valueOf('+x={}')).toEqual({});
    expect(valueOf('+x=[ 1 , two , 3.5 , null , true ]')).toEqual([1, 'two', 3.5, null, true]);
    expect(valueOf('+x=[a,[b,[c]],{k: v}]')).toEqual(['a', ['b', ['c']], { k: 'v' }]);
    expect(valueOf('+x={k: v, k2: [1,2], k3: {deep: null}}')).toEqual({ k: 'v', k2: [1, 2], k3: { deep: null } });
    expect(valueOf("+x=['a,b', \"c d\"]")).toEqual(['a,b', 'c d']);
    expect(valueOf('+x=[a b, c]')).toEqual(['a b', 'c']);
    expect(valueOf('+x={url: http://h:1/v1}')).toEqual({ url: 'http://h:1/v1' });
    expect(valueOf('+x={a:1,b:2}')).toEqual({ a: 1, b: 2 });
    expect(valueOf('+x=[${a},${b.c}]')).toEqual(['${a}', '${b.c}']);
  });

  it('read dict keys as strings and let a repeated key win', () => {
    expect(valueOf('+x={1: a, true: b, null: c}')).toEqual({ '1': 'a', true: 'b', null: 'c' });
    expect(valueOf('+x={a: 1, a: 2}')).toEqual({ a: 2 });
    expect(valueOf("+x={'my key': 1}")).toEqual({ 'my key': 1 });
  });

  it('store a __proto__ key as an ordinary key', () => {
    const value = valueOf('+x={__proto__: {polluted: 1}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('cast functions', () => {
  it('work like Hydra', () => {
    expect(valueOf('+x=str(10)')).toBe('10');
    expect(valueOf('+x=str(1.0)')).toBe('1.0');
    expect(valueOf('+x=str(1e-5)')).toBe('1e-05');
    expect(valueOf('+x=str(true)')).toBe('true');
    expect(valueOf('+x=int(3.9)')).toBe(3);
    expect(valueOf("+x=int('1_000')")).toBe(1000);
    expect(valueOf('+x=float(2)')).toBe(2);
    expect(valueOf("+x=float('inf')")).toBe(Infinity);
    expect(valueOf('+x=bool(0)')).toBe(false);
    expect(valueOf("+x=bool('TRUE')")).toBe(true);
    expect(valueOf('+x=str([1,{a: 2}])')).toEqual(['1', { a: '2' }]);
    expect(valueOf('+x=int(value=7)')).toBe(7);
    expect(valueOf('+x=str (5)')).toBe('5');
  });

  it('reject what Hydra rejects', () => {
    expect(errorOf('+x=int(abc)')).toContain("int(): 'abc' is not an int");
    expect(errorOf("+x=bool('yes')")).toContain("cannot convert 'yes' to a bool");
    expect(errorOf('+x=str(null)')).toContain('cannot convert null');
    expect(errorOf('+x=int(1,2)')).toContain('sweep');
  });
});

describe('keys', () => {
  it('read the prefix as the override kind and dots as nesting', () => {
    expect(parseOverride('+a=1', 1, 'ng_run')).toMatchObject({ kind: 'add', key: 'a', path: ['a'] });
    expect(parseOverride('++a=1', 1, 'ng_run')).toMatchObject({ kind: 'force-add', key: 'a' });
    expect(parseOverride('a=1', 1, 'ng_run')).toMatchObject({ kind: 'change', key: 'a' });
    expect(parseOverride('~a', 1, 'ng_run')).toMatchObject({ kind: 'delete', key: 'a', value: undefined });
    expect(parseOverride('~a=5', 1, 'ng_run')).toMatchObject({ kind: 'delete', value: 5 });
    expect(parseOverride('+responses_create_params.temperature=0.5', 1, 'ng_run')).toMatchObject({
      path: ['responses_create_params', 'temperature'],
      value: 0.5,
    });
    expect(parseOverride('+my-key.$x.0=1', 1, 'ng_run').path).toEqual(['my-key', '$x', '0']);
  });

  it('number arguments from 1', () => {
    const overrides = parseOverrides(['+a=1', '+b=2'], 'ng_run');
    expect(overrides.map((override) => override.argumentIndex)).toEqual([1, 2]);
    expect(overrides[1]!.text).toBe('+b=2');
  });
});

describe('syntax errors name the command, the argument and the column', () => {
  it('matches the documented message for an unterminated list', () => {
    const message = errorOf('+limit=[1,', 3);
    expect(message.split('\n')[0]).toBe("ng_run: cannot parse override '+limit=[1,' (argument 3): unterminated list (this [ has no closing ])");
    expect(message.split('\n').slice(1)).toEqual(['  +limit=[1,', '         ^']);
  });

  it.each<[string, string, number]>([
    ['+x=[1,2', 'unterminated list', 3],
    ['+x=[[1]', 'unterminated list', 3],
    ['+x={a: 1', 'unterminated dict', 3],
    ["+x='abc", 'unterminated quoted string', 3],
    ['+x="abc\\"', 'unterminated quoted string', 3],
    ['+x=${abc', 'unterminated interpolation', 3],
    ['+x=${oc.env:A,${b}}', 'nested in another one must be quoted', 3],
    ['+x=int(5', 'unterminated call', 6],
    ['+x=a,b', 'sweep', 4],
    ['+x=[a,b],[c]', 'sweep', 8],
    ['+x=a=b', "'=' cannot appear unquoted", 4],
    ['+x=#comment', "'#' is not allowed in an unquoted value", 3],
    ['+x=~/data', "'~' is not allowed", 3],
    ["+x='a'b", 'a quoted string must be a whole value', 6],
    ["+x=a'b'", 'a quoted string must be a whole value', 4],
    ['+x=[a,]', "expected a value but found ']'", 6],
    ['+x=[,a]', "expected a value but found ','", 4],
    ['+x={a}', "expected ':' after the dict key 'a'", 5],
    ['+x={: 1}', 'expected a dict key', 4],
    ['+x=]', "expected a value but found ']'", 3],
    ['+x=choice(a,b)', 'choice(...) is a sweep', 3],
    ['+x=range(1,5)', 'range(...) is a sweep', 3],
    ['+x=foo(1)', "unknown function 'foo'", 3],
    ['+=5', 'the key is missing', 1],
    ['+a..b=1', 'empty key segment', 3],
    ['+a.=1', 'empty key segment', 3],
    ['+1abc=2', "'1abc' is not a valid key", 1],
    ['+a b=1', 'keys cannot contain spaces', 2],
    ['+db/mysql=x', 'config group', 3],
    ['+db@pkg=x', 'config group', 3],
    ['limit', "missing '='", 5],
  ])('%s: %s', (argument, reason, column) => {
    const message = errorOf(argument, 2, 'ng_collect_rollouts');
    const [first, echoed, caret] = message.split('\n');
    expect(first).toContain(`ng_collect_rollouts: cannot parse override '${argument}' (argument 2): `);
    expect(first).toContain(reason);
    expect(echoed).toBe(`  ${argument}`);
    expect(caret).toBe(`  ${' '.repeat(column)}^`);
  });

  it('explains flags', () => {
    expect(errorOf('--help')).toContain('options are written +key=value');
  });
});
