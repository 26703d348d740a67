import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  defaultChoices,
  defaultOutputPath,
  nextOutputPath,
  parseLimit,
  parseMaxOutputTokens,
  parsePositiveInteger,
  parseTemperature,
  RememberedChoices,
} from '../../../src/extension/collect/collect_choices';
import { renderServerStatus } from '../../../src/extension/commands/server_status_text';
import { readSettings } from '../../../src/extension/config/settings';
import { jsonlKindOf, jsonlKindOfLine } from '../../../src/extension/dataset/task_file_kind';
import { chooseHeadServerPort } from '../../../src/extension/host/head_server_port';
import type { HostExit } from '../../../src/extension/host/host_process';
import { listEndpointModels, modelChoices } from '../../../src/extension/models/endpoint_models';
import type { KeyValueStore } from '../../../src/extension/runs/run_store';
import { ApiKeyStore, apiKeyProblem, type SecretStore } from '../../../src/extension/secrets/api_key_store';
import { statusBarView } from '../../../src/extension/status_text';
import { formatDuration, formatRewards } from '../../../src/extension/trees/format';
import { ServersTreeModel } from '../../../src/extension/trees/servers_model';
import type { ServersStatus } from '../../../src/host/protocol';

const settings = readSettings(() => undefined);
const KEY = 'nvapi-this-is-the-key';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

class MemoryState implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string) {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown) {
    this.values.set(key, value);
  }
}

const runningServers: ServersStatus = {
  state: 'running',
  headServerUrl: 'http://127.0.0.1:11000',
  servers: [
    { name: 'policy_model', kind: 'responses_api_models', implementation: 'openai_model', url: 'http://127.0.0.1:12001', state: 'ready' },
    { name: 'workplace_assistant_simple_agent', kind: 'responses_api_agents', implementation: 'simple_agent', url: 'http://127.0.0.1:12002', state: 'ready' },
  ],
  dataDirectory: '/data/csv',
  policyBaseUrl: 'https://integrate.api.nvidia.com/v1',
  policyModelName: 'openai/gpt-oss-120b',
  error: null,
};

describe('ApiKeyStore', () => {
  it('prefers the secret storage, then NVIDIA_API_KEY, then OPENAI_API_KEY', async () => {
    const secrets = new MemorySecrets();
    const keys = new ApiKeyStore(secrets, { OPENAI_API_KEY: 'sk-openai', NVIDIA_API_KEY: ' nvapi-env ' });
    expect(await keys.resolve()).toEqual({ key: 'nvapi-env', source: 'NVIDIA_API_KEY' });
    await keys.set(` ${KEY} `);
    expect(await keys.resolve()).toEqual({ key: KEY, source: 'secret-storage' });
    await keys.clear();
    expect(await new ApiKeyStore(secrets, { OPENAI_API_KEY: 'sk-openai' }).resolve()).toEqual({ key: 'sk-openai', source: 'OPENAI_API_KEY' });
    expect(await new ApiKeyStore(secrets, {}).resolve()).toBeNull();
  });

  it('rejects empty keys and keys with spaces', () => {
    expect(apiKeyProblem('  ')).not.toBeNull();
    expect(apiKeyProblem('nv api')).not.toBeNull();
    expect(apiKeyProblem(KEY)).toBeNull();
  });
});

describe('Collect Rollouts choices', () => {
  it('start from the settings and write into the output folder, named by input and start time', () => {
    const at = new Date(2026, 11, 5, 14, 30, 12);
    expect(defaultOutputPath('/w/data/tasks.jsonl', 'rollouts', '/w', at)).toBe('/w/rollouts/tasks_20261205-143012_rollouts.jsonl');
    expect(defaultOutputPath('/w/data/tasks.jsonl', '/abs/out', '/w', at)).toBe('/abs/out/tasks_20261205-143012_rollouts.jsonl');
    expect(defaultOutputPath('/w/data/tasks.jsonl', '', '/w', at)).toBe('/w/data/tasks_20261205-143012_rollouts.jsonl');
    expect(nextOutputPath('/w/rollouts/tasks_20261205-143012_rollouts.jsonl', '/w/data/tasks.jsonl', new Date(2026, 11, 5, 15, 0, 0))).toBe('/w/rollouts/tasks_20261205-150000_rollouts.jsonl');
    const choices = defaultChoices('/w/tasks.jsonl', settings, '/w');
    expect(choices).toEqual({
      agentName: 'workplace_assistant_simple_agent',
      limit: null,
      numRepeats: 1,
      parallelism: 8,
      temperature: null,
      maxOutputTokens: null,
      outputPath: expect.stringMatching(/^\/w\/rollouts\/tasks_\d{8}-\d{6}_rollouts\.jsonl$/),
      resume: false,
      skipInvalidRows: false,
    });
  });

  it('parse what was typed, empty meaning the default', () => {
    expect(parseLimit('')).toEqual({ ok: true, value: null });
    expect(parseLimit('all')).toEqual({ ok: true, value: null });
    expect(parseLimit('5')).toEqual({ ok: true, value: 5 });
    expect(parseLimit('-1').ok).toBe(false);
    expect(parsePositiveInteger('0', 'repeats').ok).toBe(false);
    expect(parsePositiveInteger('2.5', 'repeats').ok).toBe(false);
    expect(parseTemperature('0.7')).toEqual({ ok: true, value: 0.7 });
    expect(parseTemperature('3').ok).toBe(false);
    expect(parseTemperature(' ')).toEqual({ ok: true, value: null });
    expect(parseMaxOutputTokens('2048')).toEqual({ ok: true, value: 2048 });
    expect(parseMaxOutputTokens('lots').ok).toBe(false);
  });

  it('are remembered per file, without the per-run decisions (output, resume, invalid rows)', async () => {
    const remembered = new RememberedChoices(new MemoryState());
    const choices = { ...defaultChoices('/w/a.jsonl', settings, '/w'), numRepeats: 3, outputPath: '/w/old_rollouts.jsonl', resume: true, skipInvalidRows: true };
    await remembered.remember('/w/a.jsonl', choices);
    const fresh = defaultChoices('/w/a.jsonl', settings, '/w');
    expect(remembered.get('/w/a.jsonl', fresh)).toEqual({ ...fresh, numRepeats: 3 });
    expect(remembered.get('/w/b.jsonl', fresh)).toBe(fresh);
  });
});

describe('jsonlKindOf', () => {
  it('tells task rows from rollouts', () => {
    expect(jsonlKindOfLine('{"id": 1, "responses_create_params": {"input": "x"}}')).toBe('tasks');
    expect(jsonlKindOfLine('{"responses_create_params": {}, "response": {}, "reward": 1}')).toBe('rollouts');
    expect(jsonlKindOfLine('{"responses_create_params": {"input": "x"')).toBe('tasks');
    expect(jsonlKindOfLine('[1]')).toBe('other');
    expect(jsonlKindOf(['', '  ', '{"responses_create_params": {}}'])).toBe('tasks');
    expect(jsonlKindOf([])).toBe('other');
  });
});

describe('ServersTreeModel', () => {
  it('lists the host, each server with kind, URL and state, and what is in use; the model and key rows change them', () => {
    const tree = new ServersTreeModel({ host: { kind: 'running', pid: 42 }, servers: runningServers, settings, apiKeySource: 'secret-storage' });
    const views = tree.roots().map((node) => tree.view(node));
    expect(views.map((view) => [view.label, view.description])).toEqual([
      ['Host process', 'running (pid 42) · servers running'],
      ['policy_model', 'model server · http://127.0.0.1:12001 · ready'],
      ['workplace_assistant_simple_agent', 'agent server · http://127.0.0.1:12002 · ready'],
      ['Data directory', '/data/csv'],
      ['Model', 'openai/gpt-oss-120b @ https://integrate.api.nvidia.com/v1 (Responses)'],
      ['API key', 'stored in the editor’s secret storage'],
    ]);
    expect(views.find((view) => view.label === 'Model')?.command?.id).toBe('gymRollouts.selectModel');
    expect(views.find((view) => view.label === 'API key')?.command?.id).toBe('gymRollouts.setApiKey');
  });

  it('shows a dead host with its last log lines', () => {
    const exit: HostExit = { code: 1, signal: null, expected: false, lastLines: ['Error: boom', '    at main'] };
    const tree = new ServersTreeModel({ host: { kind: 'crashed', exit, restarting: false }, servers: null, settings, apiKeySource: null });
    const host = tree.roots()[0]!;
    expect(tree.view(host)).toMatchObject({ description: 'stopped unexpectedly (exit code 1)', collapsible: 'expanded' });
    expect(tree.children(host).map((node) => tree.view(node).label)).toEqual(['Error: boom', '    at main']);
  });

  it('shows only the deployment when an external head server is set', () => {
    const tree = new ServersTreeModel({ host: { kind: 'stopped' }, servers: null, settings: { ...settings, externalHeadServerUrl: 'http://gpu-box:11000' }, apiKeySource: null });
    expect(tree.roots().map((node) => tree.view(node).label)).toEqual(['External deployment', 'API key']);
  });
});

describe('statusBarView', () => {
  it('shows the running collection first', () => {
    const run = {
      id: 'r',
      inputPath: '/w/tasks.jsonl',
      outputPath: '/w/out.jsonl',
      agentName: 'a',
      modelName: null,
      externalHeadServerUrl: null,
      options: {},
      status: 'running' as const,
      startedAt: 0,
      finishedAt: null,
      earlierElapsedSeconds: 0,
      earlierRetries: 0,
      totals: { total: 10, done: 3, failed: 1, resumed: 0, meanReward: 0.75, meanRewardOverAttempted: 0.56, retries: 1, elapsedSeconds: 12, etaSeconds: 20, byCategory: [] },
      error: null,
    };
    // The same figures as the run's line in the Runs view.
    expect(statusBarView({ kind: 'running', pid: 1 }, runningServers, [run], '').text).toBe('$(sync~spin) Rollouts 4/10 · 1 failed · 1 retry · mean 0.75');
  });

  it("otherwise shows the servers' state, and alerts when the host died for good", () => {
    expect(statusBarView({ kind: 'running', pid: 1 }, runningServers, [], '').text).toBe('$(server-process) Gym: servers running');
    expect(statusBarView({ kind: 'stopped' }, null, [], '').text).toBe('$(circle-slash) Gym: servers stopped');
    const exit: HostExit = { code: 1, signal: null, expected: false, lastLines: [] };
    expect(statusBarView({ kind: 'crashed', exit, restarting: false }, null, [], '')).toMatchObject({ text: '$(error) Gym: host stopped', alert: true });
    expect(statusBarView({ kind: 'stopped' }, null, [], 'http://x:1').text).toBe('$(remote) Gym: external');
  });
});

describe('model suggestions', () => {
  it("offer the current model, NVIDIA's suggestions and the endpoint's list without duplicates", () => {
    expect(modelChoices('https://integrate.api.nvidia.com/v1/', 'meta/llama', ['openai/gpt-oss-20b', 'a/b']).map((choice) => `${choice.source}:${choice.id}`)).toEqual([
      'current:meta/llama',
      'suggested:openai/gpt-oss-120b',
      'suggested:openai/gpt-oss-20b',
      'endpoint:a/b',
    ]);
    expect(modelChoices('http://localhost:8000/v1', 'm', []).map((choice) => choice.id)).toEqual(['m']);
  });

  it('read /v1/models with the key as a bearer token', async () => {
    let seen: { url: string; auth: string | undefined } | undefined;
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen = { url, auth: (init?.headers as Record<string, string>).Authorization };
      return new Response(JSON.stringify({ data: [{ id: 'x/y' }, { id: 3 }, {}] }), { status: 200 });
    }) as typeof fetch;
    expect(await listEndpointModels('http://host/v1/', KEY, { fetchImpl })).toEqual(['x/y']);
    expect(seen).toEqual({ url: 'http://host/v1/models', auth: `Bearer ${KEY}` });
  });
});

describe('renderServerStatus', () => {
  it('lists every server with its probe result and names the key source only', async () => {
    const text = await renderServerStatus({
      host: 'running (pid 7)',
      servers: runningServers,
      settings,
      apiKeySource: 'NVIDIA_API_KEY',
      probe: async (server) => (server.name === 'policy_model' ? 'success' : 'connection_error'),
    });
    expect(text).toContain('| ✓ | policy_model | responses_api_models | openai_model | http://127.0.0.1:12001 | ready | success |');
    expect(text).toContain('| ✗ | workplace_assistant_simple_agent |');
    expect(text).toContain('**API key:** NVIDIA_API_KEY');
  });
});

describe('format', () => {
  it('writes durations and rewards briefly', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3_700), formatDuration(null)]).toEqual(['5s', '1m 05s', '1h 01m', '—']);
    expect(formatRewards([1, 0, null, 0.5])).toBe('1, 0, ✗, 0.50');
  });
});

describe('chooseHeadServerPort', () => {
  it("takes the preferred port when it is free, another free one when it is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(0, '127.0.0.1', () => resolveListen()));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const chosen = await chooseHeadServerPort(taken);
      expect(chosen).not.toBe(taken);
      expect(chosen).toBeGreaterThan(0);
    } finally {
      await new Promise((resolveClose) => blocker.close(resolveClose));
    }
    expect(await chooseHeadServerPort(taken)).toBe(taken);
  });
});
