import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli, type CliResult } from '../../support/cli';
import { oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { REPO_ROOT, WORKPLACE_CSV_DIR } from '../../support/paths';

const DEPLOY = join(REPO_ROOT, 'examples/deploy');
const TASKS = join(REPO_ROOT, 'examples/workplace_assistant/tasks.jsonl');
const KEY = 'sk-deploy-test-key-1a2b3c4d5e';

interface Line { _ng_task_index: number; _ng_rollout_index: number }
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes manifests, checked field by field below

function manifests(file: string): Doc[] {
  const documents = parseAllDocuments(readFileSync(join(DEPLOY, 'k8s', file), 'utf8'));
  for (const document of documents) expect(document.errors, file).toEqual([]);
  return documents.map((document) => document.toJS() as Doc);
}

const keysOf = (lines: Line[]) => lines.map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);

function bash(script: string, env: Record<string, string>, flags: string[] = []): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', [...flags, script], { cwd: env.WORKDIR, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('deployment recipes (examples/deploy)', () => {
  let fake: FakeOpenAIServer;
  const hosts: Array<{ process: CliProcess; port: number }> = [];

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(TASKS), apiKey: KEY });
  });
  afterAll(async () => {
    for (const host of hosts) await host.process.stop('SIGKILL');
    await fake?.close();
  });

  it('Kubernetes: the manifests parse; environment hosts are a StatefulSet behind a headless Service; the collector an Indexed Job, one shard per index', () => {
    const [service, statefulSet] = manifests('environment.yaml');
    expect(service).toMatchObject({ kind: 'Service', spec: { clusterIP: 'None' } });
    expect(statefulSet).toMatchObject({ kind: 'StatefulSet', spec: { serviceName: service!.metadata.name } });
    const [job] = manifests('collect.yaml');
    expect(job).toMatchObject({ kind: 'Job', spec: { completionMode: 'Indexed' } });
    const args = job!.spec.template.spec.containers[0].args as string[];
    expect(Number(args[args.indexOf('--num-shards') + 1])).toBe(job!.spec.completions);
    expect(args[args.indexOf('--shard-index') + 1]).toBe('$(JOB_COMPLETION_INDEX)');
    // The collector names every pod of the StatefulSet through the headless Service.
    const replicas = statefulSet!.spec.replicas as number;
    const headServers = args.find((arg) => arg.startsWith('+head_servers='))!;
    for (let i = 0; i < replicas; i++) expect(headServers).toContain(`{host: ${statefulSet!.metadata.name}-${i}.${service!.metadata.name}, port: 11000}`);
    const [aggregate] = manifests('aggregate.yaml');
    expect(aggregate!.spec.template.spec.containers[0].args).toContain('/results/shard-*.jsonl');
    expect(manifests('storage.yaml')[0]).toMatchObject({ kind: 'PersistentVolumeClaim' });
  });

  it('Kubernetes: the Job\'s shard command, run locally for every index against two local hosts, then the aggregate step, collect every rollout once', async () => {
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const process = new CliProcess('ng_run', [
        '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]', `+head_server={host: 127.0.0.1, port: ${port}}`,
        `+policy_base_url=${fake.url}`, '+policy_api_key=${oc.env:OPENAI_API_KEY}', '+policy_model_name=gpt-test', `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      ], { env: { OPENAI_API_KEY: KEY } });
      hosts.push({ process, port });
    }
    await Promise.all(hosts.map((host) => host.process.waitFor(/All \d+ \/ \d+ servers ready/)));
    const results = mkdtempSync(join(tmpdir(), 'gym-k8s-'));
    const [job] = manifests('collect.yaml');
    const container = job!.spec.template.spec.containers[0] as { command: string[]; args: string[] };
    expect(container.command).toEqual(['node', '/app/bin/gym.js']);
    const local = (arg: string, index: number) =>
      arg.startsWith('+head_servers=')
        ? `+head_servers=[${hosts.map((host) => `{host: 127.0.0.1, port: ${host.port}}`).join(', ')}]`
        : arg.replaceAll('$(JOB_COMPLETION_INDEX)', String(index)).replace('/data/tasks.jsonl', TASKS).replace('/results', results);
    const shards = await Promise.all(Array.from({ length: job!.spec.completions as number }, (_, index) => runCli('gym', container.args.map((arg) => local(arg, index)))));
    for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
    expect(readdirSync(results).filter((file) => /^shard-\d+\.jsonl$/.test(file))).toHaveLength(job!.spec.completions);
    const [aggregate] = manifests('aggregate.yaml');
    const merged = await runCli('gym', (aggregate!.spec.template.spec.containers[0].args as string[]).map((arg) => arg.replace('/results', results)));
    expect(merged.code, merged.stderr).toBe(0);
    const keys = keysOf(readJsonl<Line>(join(results, 'rollouts.jsonl')));
    expect(keys).toHaveLength(48);
    expect(new Set(keys).size).toBe(48);
  });

  it('Slurm: each array task\'s script, run locally with its index, then the aggregate script, collect every rollout once', async () => {
    for (const script of ['collect.sbatch', 'aggregate.sbatch', 'submit.sh']) expect((await bash(join(DEPLOY, 'slurm', script), { WORKDIR: REPO_ROOT }, ['-n'])).code, script).toBe(0);
    const collect = readFileSync(join(DEPLOY, 'slurm/collect.sbatch'), 'utf8');
    const array = /^#SBATCH --array=0-(\d+)$/m.exec(collect);
    expect(array).not.toBeNull();
    const results = mkdtempSync(join(tmpdir(), 'gym-slurm-'));
    const count = 3;
    const env = (index: number, port: number) => ({
      WORKDIR: results, GYM_ROLLOUTS_DIR: REPO_ROOT, RESULTS: results, SLURM_ARRAY_TASK_ID: String(index), SLURM_ARRAY_TASK_COUNT: String(count),
      HEAD_PORT: String(port), POLICY_BASE_URL: fake.url, POLICY_API_KEY: KEY, POLICY_MODEL_NAME: 'gpt-test', NUM_REPEATS: '2', LIMIT: '6',
    });
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const tasks = await Promise.all(ports.map((port, index) => bash(join(DEPLOY, 'slurm/collect.sbatch'), env(index, port))));
    for (const task of tasks) expect(task.code, task.stderr).toBe(0);
    const aggregate = await bash(join(DEPLOY, 'slurm/aggregate.sbatch'), { WORKDIR: results, GYM_ROLLOUTS_DIR: REPO_ROOT, RESULTS: results });
    expect(aggregate.code, aggregate.stderr).toBe(0);
    const keys = keysOf(readJsonl<Line>(join(results, 'rollouts.jsonl')));
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    for (const task of tasks) expect(task.stdout + task.stderr).not.toContain(KEY);
  });
});
