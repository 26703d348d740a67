import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { checkOptions, closestKey, findUnknownOptions } from '../../../src/core/config/options.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

const collectKeys = ['agent_name', 'input_jsonl_fpath', 'output_jsonl_fpath', 'limit', 'num_repeats', 'num_samples_in_parallel', 'responses_create_params'];

function checkError(config: ConfigDict, keysToCheck?: string[]): string {
  try {
    checkOptions(config, { command: 'ng_collect_rollouts', knownKeys: collectKeys, ...(keysToCheck ? { keysToCheck } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected checkOptions to fail');
}

describe('checkOptions', () => {
  it('suggests the closest option for a typo', () => {
    expect(checkError({ agent_name: 'a', limt: 5 })).toBe('ng_collect_rollouts: unknown option +limt. Did you mean +limit?');
    expect(checkError({ num_repeat: 4 })).toBe('ng_collect_rollouts: unknown option +num_repeat. Did you mean +num_repeats?');
    expect(checkError({ input_jsonl_path: 'x' })).toBe('ng_collect_rollouts: unknown option +input_jsonl_path. Did you mean +input_jsonl_fpath?');
  });

  it('lists the options when nothing is close, one line per unknown key', () => {
    const message = checkError({ zzz: 1, limt: 2 });
    expect(message.split('\n')).toEqual([
      'ng_collect_rollouts: unknown option +zzz. ng_collect_rollouts takes: +agent_name, +input_jsonl_fpath, +limit, +num_repeats, +num_samples_in_parallel, +output_jsonl_fpath, +responses_create_params.',
      'ng_collect_rollouts: unknown option +limt. Did you mean +limit?',
    ]);
  });

  it('allows servers, reserved and global keys, and keys read by interpolations', () => {
    const config: ConfigDict = {
      limit: 5,
      config_paths: ['a.yaml'],
      head_server: { port: 11000 },
      wandb_project: 'p',
      my_base: 'http://h',
      policy_model: { responses_api_models: { openai_model: { openai_base_url: '${my_base}' } } },
      looks_like_a_server: { resources_servers: 'broken' },
      named_server: { something: 1 },
    };
    expect(() => checkOptions(config, { command: 'ng_collect_rollouts', knownKeys: collectKeys, serverNames: ['named_server'] })).not.toThrow();
    expect(findUnknownOptions(config, { command: 'ng_collect_rollouts', knownKeys: collectKeys })).toEqual([{ key: 'named_server', suggestion: undefined }]);
  });

  it('checks only the keys it is given (the command line), not settings from config files', () => {
    const config: ConfigDict = { limit: 5, some_other_commands_setting: true, limt: 1 };
    expect(checkError(config, ['limit', 'limt'])).toBe('ng_collect_rollouts: unknown option +limt. Did you mean +limit?');
    expect(() => checkOptions(config, { command: 'c', knownKeys: collectKeys, keysToCheck: ['limit'] })).not.toThrow();
  });
});

describe('closestKey', () => {
  it('finds typos: a missing, extra, wrong or swapped character, and case', () => {
    expect(closestKey('limt', ['limit', 'agent_name'])).toBe('limit');
    expect(closestKey('limitt', ['limit'])).toBe('limit');
    expect(closestKey('lmiit', ['limit'])).toBe('limit');
    expect(closestKey('Limit', ['limit'])).toBe('limit');
    expect(closestKey('agent_nmae', ['agent_name', 'agent'])).toBe('agent_name');
  });

  it('returns nothing when no candidate is plausible', () => {
    expect(closestKey('x', ['limit'])).toBeUndefined();
    expect(closestKey('temperature', ['limit', 'agent_name'])).toBeUndefined();
    expect(closestKey('limit', [])).toBeUndefined();
  });

  it('prefers the closest, then the first listed', () => {
    expect(closestKey('abcd', ['abce', 'abcd_x', 'abcf'])).toBe('abce');
  });
});
