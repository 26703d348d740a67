import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, oracleCollectArgs, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const KEY = ['nvapi', 'noise', 'and', 'leaks', '0123456789abcdef'].join('-');
const STACK_LINE = /\n\s+at [^\n]+\(/;

/** Ctrl-C is one line, aborted requests are not stack traces, secrets on the command line are warned about. */
describe('noise and leaks', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), faults: { decide: () => ({ kind: 'slow', delayMs: 150 }) } });
  });
  afterAll(async () => fake?.close());

  const serverArgs = (port: number) => [
    '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
    `+head_server={host: 127.0.0.1, port: ${port}}`,
    `+policy_base_url=${fake.url}`,
    '+policy_api_key=${oc.env:POLICY_KEY}',
    '+policy_model_name=gpt-test',
    `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
  ];
  const collectArgs = (output: string) => ['+agent_name=workplace_assistant_simple_agent', `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`, `+output_jsonl_fpath=${output}`, '+num_repeats=20', '+num_samples_in_parallel=8'];

  async function interruptOnceWriting(collector: CliProcess, output: string): Promise<void> {
    while (readJsonl(output).length < 2) {
      if (collector.child.exitCode !== null) throw new Error(`the collector ended early:\n${collector.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    collector.child.kill('SIGINT');
  }

  it('Ctrl-C in the one-command form: one line, no stack traces, exit 130, resumable', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-ctrlc-')), 'rollouts.jsonl');
    const collector = new CliProcess('ng_collect_rollouts', [...serverArgs(await freePort()), ...collectArgs(output)], { env: { POLICY_KEY: KEY } });
    await interruptOnceWriting(collector, output);
    const result = await collector.wait();
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('[error]');
    expect(result.stdout).toContain('Collection cancelled; run again with +resume_from_cache=true to collect the rest.');
    const text = readFileSync(output, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('Ctrl-C with the oracle agent, whose rollouts are answered in process without I/O: still cancelled, exit 130', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-ctrlc-oracle-')), 'rollouts.jsonl');
    const collector = new CliProcess('ng_collect_rollouts', await oracleCollectArgs(EXAMPLE_TASKS_PATH, output, ['+num_repeats=2000']));
    await interruptOnceWriting(collector, output);
    const result = await collector.wait();
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('Collection cancelled');
    expect(readJsonl(output).length).toBeLessThan(12 * 2000);
  });

  it('Ctrl-C as soon as the servers are ready (while the rows are read): exit 130, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-ctrlc-early-'));
    const input = join(dir, 'tasks.jsonl');
    // Enough rows that reading and materialising them takes a while after the servers are up.
    const rows = readFileSync(EXAMPLE_TASKS_PATH, 'utf8').split('\n').filter((line) => line.trim() !== '');
    writeFileSync(input, Array.from({ length: 4000 }, (_, k) => JSON.stringify({ ...JSON.parse(rows[k % rows.length]!), id: k })).join('\n') + '\n');
    const collector = new CliProcess('ng_collect_rollouts', await oracleCollectArgs(input, join(dir, 'r.jsonl'), ['+num_repeats=20']));
    await collector.waitFor(/servers ready/);
    collector.child.kill('SIGINT');
    const result = await collector.wait();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toMatch(/Collection cancelled/);
  });

  it('Ctrl-C of a collector that uses ng_run: ng_run logs no stack trace for the requests it drops', async () => {
    const port = await freePort();
    const ngRun = new CliProcess('ng_run', serverArgs(port), { env: { POLICY_KEY: KEY } });
    try {
      await ngRun.waitFor(/All 5 \/ 5 servers ready/);
      const output = join(mkdtempSync(join(tmpdir(), 'gym-ctrlc2-')), 'rollouts.jsonl');
      const collector = new CliProcess('ng_collect_rollouts', [`+head_server={host: 127.0.0.1, port: ${port}}`, ...collectArgs(output)]);
      await interruptOnceWriting(collector, output);
      expect((await collector.wait()).code).toBe(130);
      // Whatever ng_run says about the dropped requests, it says it without stacks; it keeps serving.
      const status = await runCli('ng_status', [`+head_server={host: 127.0.0.1, port: ${port}}`]);
      expect(status.code).toBe(0);
      expect(ngRun.stderr).not.toMatch(STACK_LINE);
    } finally {
      await ngRun.stop();
    }
  });

  it('a key written on the command line gets a warning (not the key); ${oc.env:...} does not', async () => {
    const literal = await runCli('ng_dump_config', ['+config_paths=[configs/openai_model.yaml]', '+policy_base_url=http://x/v1', `+policy_api_key=${KEY}`, '+policy_model_name=m']);
    expect(literal.code).toBe(0);
    expect(literal.stderr).toContain("warning: ng_dump_config: +policy_api_key on the command line can be read by every user of this machine (ps, /proc). Pass it as '+policy_api_key=${oc.env:YOUR_VARIABLE}'");
    expect(literal.stdout + literal.stderr).not.toContain(KEY);
    const indirect = await runCli('ng_dump_config', ['+config_paths=[configs/openai_model.yaml]', '+policy_base_url=http://x/v1', '+policy_api_key=${oc.env:POLICY_KEY}', '+policy_model_name=m'], { env: { POLICY_KEY: KEY } });
    expect(indirect.stderr).not.toContain('warning');
    expect(indirect.stdout).not.toContain(KEY);
  });

  it('ng_dump_config masks credentials in header maps: *-Key, *Auth*, *Token*, *Subscription*', async () => {
    const values = { 'Ocp-Apim-Subscription-Key': 'subscription-value-123', 'X-Auth': 'x-auth-value-456', 'X-Custom-Token': 'token-value-789', 'X-Goog-Api-Key': 'goog-value-000', 'X-Request-Source': 'visible-value' };
    const headers = Object.entries(values).map(([name, value]) => `${name}: ${value}`).join(', ');
    const result = await runCli('ng_dump_config', [
      '+config_paths=[configs/openai_model.yaml]',
      '+policy_base_url=http://x/v1',
      '+policy_api_key=${oc.env:POLICY_KEY}',
      '+policy_model_name=m',
      `++policy_model.responses_api_models.openai_model.openai_default_headers={${headers}}`,
    ], { env: { POLICY_KEY: KEY } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('+policy_model.responses_api_models.openai_model.openai_default_headers on the command line can be read by every user');
    for (const [name, value] of Object.entries(values)) {
      if (name === 'X-Request-Source') expect(result.stdout).toContain(value);
      else {
        expect(result.stdout).not.toContain(value);
        expect(result.stdout).toContain(`${name}: "****"`);
      }
    }
  });

  it('a task file that starts with a byte-order mark is read, with a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-bom-'));
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(tasks, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(EXAMPLE_TASKS_PATH)]));
    const output = join(dir, 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', await oracleCollectArgs(tasks, output));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('note: tasks.jsonl starts with a UTF-8 byte-order mark; it is ignored.');
    expect(readJsonl(output)).toHaveLength(5);
  });
});
