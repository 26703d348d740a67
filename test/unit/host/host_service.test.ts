import { describe, expect, it } from 'vitest';
import type { CollectionHooks, CollectionOptions, CollectionProgress, CollectionSummary } from '../../../src/core/collect/api';
import { redactText } from '../../../src/core/config/secrets';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { HostRequestError, HostService, type HostEngine, type HostNotifier } from '../../../src/host/host_service';
import { HostErrorCode, type CollectionFinishedParams, type CollectionProgressParams, type ServersStatus } from '../../../src/host/protocol';

const SECRET = 'nvapi-0123456789abcdef';

function progress(done: number, total = 4): CollectionProgress {
  return { total, done, failed: 0, resumed: 0, meanReward: done > 0 ? 1 : null, meanRewardOverAttempted: done > 0 ? 1 : null, retries: 0, rolloutsPerSecond: 1, elapsedSeconds: done, etaSeconds: total - done, byCategory: [], recent: [] };
}

function summary(cancelled = false): CollectionSummary {
  return { ...progress(4), outputJsonlPath: '/o.jsonl', materializedInputsPath: '/o_m.jsonl', aggregateMetricsPath: '/o_a.json', failuresPath: '/o_f.jsonl', notAttempted: 0, stop: cancelled ? { kind: 'cancelled' } : null, cancelled, aggregateMetricsWritten: !cancelled };
}

function runningServers(stopped: string[]): RunningServers {
  return {
    headServerUrl: 'http://127.0.0.1:11000',
    servers: [{ name: 'policy_model', kind: 'responses_api_models', implementation: 'openai_model', url: 'http://127.0.0.1:12000', state: 'ready' }],
    dataDirectory: '/data',
    policyBaseUrl: 'https://integrate.api.nvidia.com/v1',
    policyModelName: 'openai/gpt-oss-120b',
    stop: async () => {
      stopped.push('stopped');
    },
  };
}

function setup(engine: Partial<HostEngine> = {}) {
  const stopped: string[] = [];
  const notes = { states: [] as ServersStatus[], progress: [] as CollectionProgressParams[], finished: [] as CollectionFinishedParams[], notices: [] as string[] };
  const notifier: HostNotifier = {
    serversStateChanged: (status) => notes.states.push(status),
    collectionProgress: (params) => notes.progress.push(params),
    collectionNotice: (params) => notes.notices.push(params.message),
    collectionFinished: (params) => notes.finished.push(params),
  };
  const fullEngine: HostEngine = {
    startEmbeddedServers: async () => runningServers(stopped),
    collectRollouts: async () => summary(),
    dumpConfig: async () => `policy_api_key: ${SECRET}\n`,
    fetchDeploymentConfig: async () => 'x: 1\n',
    reverifyRollouts: async () => ({ outputPath: 'r.jsonl', failuresPath: 'f.jsonl', metricsPath: null, total: 0, verified: 0, failed: 0, changes: [], unsafeWarning: null }),
    ...engine,
  };
  const service = new HostService(fullEngine, notifier, silentLogger, { GYM_ROLLOUTS_POLICY_API_KEY: SECRET }, (text) => redactText(text, [SECRET]));
  return { service, notes, stopped };
}

describe('HostService servers', () => {
  it('starts servers with the argv and environment it was given, and reports each state', async () => {
    let seen: { argv: string[]; env: Record<string, string | undefined> } | undefined;
    const { service, notes } = setup({
      startEmbeddedServers: async (options) => {
        seen = { argv: options.argv, env: options.env };
        return runningServers([]);
      },
    });
    const status = await service.startServers({ argv: ['+policy_api_key=${oc.env:GYM_ROLLOUTS_POLICY_API_KEY}'], cwd: '/w' });
    expect(status).toMatchObject({ state: 'running', headServerUrl: 'http://127.0.0.1:11000', dataDirectory: '/data', policyModelName: 'openai/gpt-oss-120b' });
    expect(seen?.env.GYM_ROLLOUTS_POLICY_API_KEY).toBe(SECRET);
    expect(notes.states.map((state) => state.state)).toEqual(['starting', 'running']);
  });

  it('refuses a second start while running', async () => {
    const { service } = setup();
    await service.startServers({ argv: [], cwd: '/w' });
    await expect(service.startServers({ argv: [], cwd: '/w' })).rejects.toMatchObject({ code: HostErrorCode.Conflict });
  });

  it('reports a failed start without the key', async () => {
    const { service, notes } = setup({ startEmbeddedServers: async () => Promise.reject(new Error(`401 for key ${SECRET}`)) });
    const error = await service.startServers({ argv: [], cwd: '/w' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostRequestError);
    expect((error as Error).message).not.toContain(SECRET);
    expect(notes.states.at(-1)).toMatchObject({ state: 'failed' });
    expect(notes.states.at(-1)?.error).not.toContain(SECRET);
  });

  it('stops what it started', async () => {
    const { service, stopped, notes } = setup();
    await service.startServers({ argv: [], cwd: '/w' });
    expect((await service.stopServers()).state).toBe('stopped');
    expect(stopped).toEqual(['stopped']);
    expect(notes.states.map((state) => state.state)).toEqual(['starting', 'running', 'stopping', 'stopped']);
  });

  it('masks secrets in a config dump', async () => {
    const { service } = setup();
    const dump = await service.dumpConfig({ argv: [], cwd: '/w' });
    expect(dump.source).toBe('argv');
    expect(dump.yaml).not.toContain(SECRET);
  });
});

describe('HostService collections', () => {
  it('needs servers or an external head server', async () => {
    const { service } = setup();
    expect(() => service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: null })).toThrow(/not running/);
  });

  it('runs a collection against the running servers, forwarding progress and the end', async () => {
    let target: string | undefined;
    const { service, notes } = setup({
      collectRollouts: async (_options: CollectionOptions, collectionTarget, hooks: CollectionHooks) => {
        target = collectionTarget.headServerUrl;
        hooks.onProgress?.(progress(1));
        hooks.onNotice?.(`mapped max_tokens for ${SECRET}`);
        return summary();
      },
    });
    await service.startServers({ argv: [], cwd: '/w' });
    expect(service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: null })).toEqual({ runId: 'r1' });
    await expect.poll(() => notes.finished.length).toBe(1);
    expect(target).toBe('http://127.0.0.1:11000');
    expect(notes.progress.map((event) => event.progress.done)).toEqual([1]);
    expect(notes.notices).toEqual([expect.not.stringContaining(SECRET)]);
    expect(notes.finished[0]).toMatchObject({ runId: 'r1', outcome: { kind: 'completed' } });
    expect(service.hello().runningCollections).toEqual([]);
  });

  it('sends the last progress before the end even when events come faster than the interval', async () => {
    const { service, notes } = setup({
      collectRollouts: async (_options, _target, hooks) => {
        for (let done = 1; done <= 4; done += 1) hooks.onProgress?.(progress(done));
        return summary();
      },
    });
    service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: 'http://head:1' });
    await expect.poll(() => notes.finished.length).toBe(1);
    expect(notes.progress.at(-1)?.progress.done).toBe(4);
    expect(notes.progress.length).toBeLessThan(4);
  });

  it('cancels a running collection through its signal', async () => {
    const { service, notes } = setup({
      collectRollouts: (_options, _target, hooks) =>
        new Promise((resolve) => hooks.signal?.addEventListener('abort', () => resolve(summary(true)))),
    });
    service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: 'http://head:1' });
    expect(service.hello().runningCollections).toEqual(['r1']);
    expect(service.cancelCollection({ runId: 'r1' })).toEqual({ wasRunning: true });
    await expect.poll(() => notes.finished.length).toBe(1);
    expect(notes.finished[0]?.outcome.kind).toBe('cancelled');
    expect(service.cancelCollection({ runId: 'r1' })).toEqual({ wasRunning: false });
  });

  it('reports a failed collection with a redacted message', async () => {
    const { service, notes } = setup({ collectRollouts: async () => Promise.reject(new Error(`Authorization: Bearer ${SECRET}`)) });
    service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: 'http://head:1' });
    await expect.poll(() => notes.finished.length).toBe(1);
    const outcome = notes.finished[0]!.outcome;
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.message).not.toContain(SECRET);
  });

  it('shutdown cancels collections and stops the servers', async () => {
    const { service, notes, stopped } = setup({
      collectRollouts: (_options, _target, hooks) => new Promise((resolve) => hooks.signal?.addEventListener('abort', () => resolve(summary(true)))),
    });
    await service.startServers({ argv: [], cwd: '/w' });
    service.startCollection({ runId: 'r1', options: { inputJsonlPath: '/i', outputJsonlPath: '/o' }, headServerUrl: null });
    await service.shutdown();
    expect(notes.finished.map((event) => event.outcome.kind)).toEqual(['cancelled']);
    expect(stopped).toEqual(['stopped']);
  });
});
