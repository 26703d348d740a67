import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oracleCollectArgs, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH } from '../../support/fake_openai';

const KEY = ['sk', 'odd', 'command', 'line', '1234567890'].join('-');

/** Command lines a user gets slightly wrong: a clear usage error, the key never shown, the terminal left alone. */
describe('odd command lines', () => {
  it('a key after a space instead of = is masked in the parse error, like every other form', async () => {
    for (const argument of [`++policy_api_key ${KEY}`, `+policy_api_key ${KEY}`, `+policy_api_key:${KEY}`, `+policy_api_key="${KEY}`]) {
      const result = await runCli('ng_collect_rollouts', ['+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]', argument, `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`, '+output_jsonl_fpath=/tmp/never.jsonl']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cannot parse override');
      expect(result.stderr + result.stdout).not.toContain(KEY);
    }
  });

  it('counts below their least value are usage errors, not clamped', async () => {
    const cases: [string, string][] = [
      ['+num_repeats=0', '+num_repeats must be >= 1, got 0.'],
      ['+num_repeats=-2', '+num_repeats must be >= 1, got -2.'],
      ['+limit=-1', '+limit must be >= 0 (0 or none: every row), got -1.'],
      ['+num_samples_in_parallel=0', '+num_samples_in_parallel must be >= 1, got 0.'],
      ['+max_attempts=0', '+max_attempts must be >= 1, got 0.'],
    ];
    for (const [argument, message] of cases) {
      const result = await runCli('ng_collect_rollouts', [`+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`, '+output_jsonl_fpath=/tmp/never.jsonl', argument]);
      expect(result.code, argument).toBe(1);
      expect(result.stderr).toBe(`ng_collect_rollouts: ${message}\n`);
    }
    const perAgent = await runCli('ng_collect_rollouts', [`+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`, '+output_jsonl_fpath=/tmp/never.jsonl', '+num_repeats={a: 2, b: 0, _default: -1}']);
    expect(perAgent.code).toBe(1);
    expect(perAgent.stderr).toBe("ng_collect_rollouts: num_repeats dict values must be >= 1, got {'b': 0, '_default': -1}\n");
    const gym = await runCli('gym', ['eval', 'run', '--no-serve', '-i', EXAMPLE_TASKS_PATH, '-o', '/tmp/never.jsonl', '--num-repeats', '0']);
    expect(gym.code).toBe(1);
    expect(gym.stderr).toContain('num_repeats must be >= 1, got 0');
  });

  it('--help and -h work for every ng_* command, as +help=true does', async () => {
    for (const command of ['ng_collect_rollouts', 'ng_reward_profile', 'ng_aggregate_rollouts', 'ng_run', 'ng_status', 'ng_dump_config']) {
      for (const flag of ['--help', '-h']) {
        const result = await runCli(command, [flag]);
        expect(result.code, `${command} ${flag}: ${result.stderr}`).toBe(0);
        expect(result.stdout.length).toBeGreaterThan(40);
      }
    }
  });

  it("an unknown option names the command once", async () => {
    const result = await runCli('ng_collect_rollouts', ['+limt=3']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ng_collect_rollouts: unknown option \+limt\. Did you mean \+limit\?/);
  });

  it("a task line's control characters reach the terminal escaped, not as escape sequences", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-esc-'));
    const input = join(dir, 'tasks.jsonl');
    writeFileSync(input, `${readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n')[0]}\nabc\u001b[31mRED\u001b[0m {\n`);
    const result = await runCli('ng_collect_rollouts', await oracleCollectArgs(input, join(dir, 'r.jsonl')));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('tasks.jsonl:2: ');
    expect(result.stderr).toContain('\\u001b[31mRED');
    expect(result.stderr).not.toContain('\u001b');
  });
});
