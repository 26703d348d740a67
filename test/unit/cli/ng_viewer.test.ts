import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command_config';
import { parseNgViewerArgs, runNgViewer } from '../../../src/cli/commands/ng_viewer';
import { makeTempDir } from '../../support/rollout_fixtures';

describe('ng_viewer arguments', () => {
  const warnings: string[] = [];
  const parse = (...argv: string[]) => parseNgViewerArgs(argv, (m) => warnings.push(m));

  it('takes a file and flags', () => {
    expect(parse('r.jsonl', '--compare', 'b.jsonl', '--input=t.jsonl', '--port', '8123', '--no-open', '--no-watch')).toEqual({
      rollouts: 'r.jsonl',
      compare: 'b.jsonl',
      input: 't.jsonl',
      port: 8123,
      open: false,
      watch: false,
    });
  });

  it('takes NeMo Gym style options and keeps to loopback', () => {
    expect(parse('+jsonl_fpath=r.jsonl', '+server_port=7860', '++compare_jsonl_fpath=b.jsonl', '+server_host=0.0.0.0')).toMatchObject({ rollouts: 'r.jsonl', compare: 'b.jsonl', port: 7860, open: true });
    expect(warnings.join('\n')).toMatch(/127\.0\.0\.1 only/);
  });

  it('rejects mistakes', () => {
    expect(() => parse()).toThrow(UsageError);
    expect(() => parse('a.jsonl', 'b.jsonl')).toThrow(/--compare/);
    expect(() => parse('a.jsonl', '--port', 'x')).toThrow(/port/);
    expect(() => parse('a.jsonl', '--bogus')).toThrow(/unknown option/);
    expect(parse('--help')).toBe('help');
  });

  it('takes +help=true like every other command, and refuses unknown + options with a suggestion', () => {
    expect(parse('+help=true')).toBe('help');
    expect(parse('r.jsonl', '+h=true')).toBe('help');
    expect(parse('++help')).toBe('help');
    expect(parse('r.jsonl', '+help=false')).toMatchObject({ rollouts: 'r.jsonl' });
    expect(() => parse('r.jsonl', '+jsonl_fpth=x.jsonl')).toThrow(/unknown option \+jsonl_fpth\. Did you mean \+jsonl_fpath\?/);
    expect(() => parse('r.jsonl', '+zzz=1')).toThrow(/ng_viewer takes: \+jsonl_fpath/);
    // NeMo Gym's global settings are accepted (and mean nothing here).
    expect(parse('r.jsonl', '+policy_model_name=m')).toMatchObject({ rollouts: 'r.jsonl' });
  });

  it('exits with 2 for a missing file, 0 for --help', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), cwd: makeTempDir() };
    expect(await runNgViewer([join(io.cwd, 'missing.jsonl'), '--no-open'], io)).toBe(2);
    expect(out.join('')).toMatch(/does not exist/);
    out.length = 0;
    expect(await runNgViewer([io.cwd, '--no-open'], io)).toBe(2);
    expect(out.join('')).toBe(`ng_viewer: the rollout file is not a regular file (a folder or a device): ${io.cwd}\n`);
    expect(await runNgViewer(['--help'], io)).toBe(0);
    expect(await runNgViewer([], io)).toBe(2);
  });
});
