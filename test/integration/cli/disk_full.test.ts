import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

/** A small tmpfs of our own: a real full disk. Needs root (CI runs as root); elsewhere the test is skipped. */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // not mounted
  }
}

const root = mkdtempSync(join(tmpdir(), 'gym-disk-'));
const probe = join(root, 'probe');
mkdirSync(probe);
const canMount = mountTmpfs(probe, 'size=64k');
unmount(probe);

describe.skipIf(!canMount)('a full or read-only output disk', () => {
  let fake: FakeOpenAIServer;
  const mounts: string[] = [];
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH) });
  });
  afterAll(async () => {
    for (const dir of mounts) unmount(dir);
    await fake?.close();
  });

  function mounted(name: string, options: string): string {
    const dir = join(root, name);
    mkdirSync(dir);
    if (!mountTmpfs(dir, options)) throw new Error(`cannot mount a tmpfs on ${dir}`);
    mounts.push(dir);
    return dir;
  }

  async function collect(output: string, extra: string[] = []) {
    return runCli('ng_collect_rollouts', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:POLICY_KEY}',
      '+policy_model_name=gpt-test',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
      '+limit=1',
      '+num_repeats=30',
      '+num_samples_in_parallel=4',
      ...extra,
    ], { env: { POLICY_KEY: 'sk-disk-full-test-000000' } });
  }

  it('a read-only folder is refused before any server starts, naming the file', async () => {
    const dir = mounted('readonly', 'size=64k,ro');
    const output = join(dir, 'rollouts.jsonl');
    const result = await collect(output);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot write the output ${output}: EROFS`);
    expect(result.stdout + result.stderr).not.toContain('servers ready');
  });

  it('a disk that fills mid-run: the file named, no torn line, exit 4; a resume then completes exactly once', async () => {
    // Room for the materialized inputs (30 copies of one row) and a few rollouts, not for all of them.
    const dir = mounted('full', 'size=720k');
    const output = join(dir, 'rollouts.jsonl');
    const first = await collect(output);
    expect(first.code, first.stderr + first.stdout).toBe(4);
    expect(first.stdout).toContain('Collection STOPPED: an output file cannot be written');
    expect(first.stdout).toMatch(new RegExp(`cause: +Could not write to ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/rollouts(_failures)?\\.jsonl: ENOSPC`));
    expect(first.stderr).not.toMatch(/\n\s+at /);
    const text = readFileSync(output, 'utf8');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    const written = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { _ng_rollout_index: number });
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(30);

    execFileSync('mount', ['-o', 'remount,size=8m', dir]);
    const second = await collect(output, ['+resume_from_cache=true']);
    expect(second.code, second.stderr).toBe(0);
    const after = readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { _ng_rollout_index: number });
    expect(after.slice(0, written.length)).toEqual(written);
    const indices = after.map((row) => row._ng_rollout_index).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
