import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestType } from 'vscode-jsonrpc/node';
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectionProgress, RolloutOutcome } from '../../../src/core/collect/api';
import { RunController } from '../../../src/extension/runs/run_controller';
import type { RunRecord } from '../../../src/extension/runs/run_record';
import { finishedAnnouncement } from '../../../src/extension/runs/run_announcement';
import { readRunResults, RunResults, UNCATEGORIZED } from '../../../src/extension/runs/run_results';
import { MAX_KEPT_RUNS, RUNS_STATE_KEY, RunStore, type KeyValueStore } from '../../../src/extension/runs/run_store';
import { RunsTreeModel, type RunsNode } from '../../../src/extension/trees/runs_model';
import type { CollectionStartParams } from '../../../src/host/protocol';

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'gym-run-'));
  temporaryDirectories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

class MemoryState implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    inputPath: '/w/tasks.jsonl',
    outputPath: '/w/tasks_rollouts.jsonl',
    agentName: 'workplace_assistant_simple_agent',
    modelName: 'openai/gpt-oss-120b',
    externalHeadServerUrl: null,
    options: { inputJsonlPath: '/w/tasks.jsonl', outputJsonlPath: '/w/tasks_rollouts.jsonl' },
    status: 'completed',
    startedAt: 1_000,
    finishedAt: 2_000,
    earlierElapsedSeconds: 0,
    earlierRetries: 0,
    totals: null,
    error: null,
    ...overrides,
  };
}

function outcome(taskIndex: number, rolloutIndex: number, reward: number | null, category = 'email'): RolloutOutcome {
  return { taskIndex, rolloutIndex, reward, category, taskId: taskIndex + 100, ...(reward === null ? { failureClass: 'model_error' } : {}) };
}

function progress(outcomes: RolloutOutcome[], total = 4): CollectionProgress {
  const rewards = outcomes.map((item) => item.reward).filter((reward): reward is number => reward !== null);
  return {
    total,
    done: rewards.length,
    failed: outcomes.length - rewards.length,
    resumed: 0,
    meanReward: rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : null,
    meanRewardOverAttempted: outcomes.length ? rewards.reduce((a, b) => a + b, 0) / outcomes.length : null,
    retries: 0,
    rolloutsPerSecond: 1,
    elapsedSeconds: 65,
    etaSeconds: 30,
    byCategory: [{ category: 'email', done: rewards.length, failed: outcomes.length - rewards.length, total, meanReward: 1 }],
    recent: outcomes,
  };
}

describe('RunStore', () => {
  it('persists records, and a run left running by the last session comes back interrupted', async () => {
    const state = new MemoryState();
    const store = new RunStore(state);
    store.upsert(record({ id: 'a', status: 'running' }));
    store.upsert(record({ id: 'b', startedAt: 5_000 }));
    await store.flush();
    const reloaded = new RunStore(state);
    expect(reloaded.all().map((run) => [run.id, run.status])).toEqual([
      ['b', 'completed'],
      ['a', 'interrupted'],
    ]);
  });

  it('ignores malformed saved records and keeps a bounded history', async () => {
    const state = new MemoryState();
    await state.update(RUNS_STATE_KEY, [{ id: 3 }, record({ id: 'ok' })]);
    const store = new RunStore(state);
    expect(store.all().map((run) => run.id)).toEqual(['ok']);
    for (let index = 0; index < MAX_KEPT_RUNS + 5; index += 1) store.upsert(record({ id: `r${index}`, startedAt: 10_000 + index }));
    expect(store.all()).toHaveLength(MAX_KEPT_RUNS);
    expect(store.get('r0')).toBeUndefined();
  });
});

describe('readRunResults', () => {
  it('reads rewards per task from the output and failures, with the viewer entry of each rollout', async () => {
    const directory = temporaryDirectory();
    const output = join(directory, 'out.jsonl');
    writeFileSync(
      output,
      [
        JSON.stringify({ reward: 1, _ng_task_index: 1, _ng_rollout_index: 0, category: 'crm', id: 7 }),
        '',
        JSON.stringify({ reward: 0, _ng_task_index: 0, _ng_rollout_index: 1 }),
        JSON.stringify({ reward: 1, _ng_task_index: 0, _ng_rollout_index: 0 }),
        '{"partial',
      ].join('\n'),
    );
    writeFileSync(join(directory, 'out_failures.jsonl'), `${JSON.stringify({ _ng_task_index: 2, _ng_rollout_index: 0, _ng_failure_class: 'model_timeout', _ng_failure_message: 'slow' })}\n`);
    writeFileSync(join(directory, 'out_materialized_inputs.jsonl'), `${JSON.stringify({ _ng_task_index: 0, _ng_rollout_index: 0, category: 'email', id: 3 })}\n`);

    const results = await readRunResults(output);
    expect(results.allTasks().map((task) => [task.taskIndex, task.category, task.taskId, task.rollouts.map((rollout) => [rollout.rolloutIndex, rollout.reward, rollout.entry])])).toEqual([
      [0, 'email', '3', [[0, 1, 2], [1, 0, 1]]],
      [1, 'crm', '7', [[0, 1, 0]]],
      [2, UNCATEGORIZED, null, [[0, null, null]]],
    ]);
    expect(results.allTasks()[2]!.rollouts[0]!.failureClass).toBe('model_timeout');
  });

  it('gives empty results for a run whose output does not exist yet', async () => {
    expect((await readRunResults('/nonexistent/out.jsonl')).size).toBe(0);
  });

  it('counts a rollout once whether it comes from the file or from progress, and a later success beats a failure', () => {
    const results = new RunResults();
    results.put({ taskIndex: 0, rolloutIndex: 0, reward: null, failureClass: 'model_error', entry: null }, 'email', '100');
    results.applyOutcomes([outcome(0, 0, 1), outcome(0, 0, 1)]);
    results.put({ taskIndex: 0, rolloutIndex: 0, reward: null, failureClass: 'model_error', entry: null }, null, null);
    expect(results.size).toBe(1);
    expect(results.allTasks()[0]!.rollouts[0]).toMatchObject({ reward: 1, failureClass: null });
  });
});

describe('RunsTreeModel', () => {
  function model(run: RunRecord, results?: RunResults) {
    const store = new RunStore(new MemoryState());
    store.upsert(run);
    const tree = new RunsTreeModel(store);
    if (results) tree.setResults(run.id, results);
    return tree;
  }

  it('shows a run by its output file, with done/total, failures, retries, mean, elapsed, ETA, agent, model and start', () => {
    const totals = { total: 20, done: 11, failed: 1, resumed: 0, meanReward: 0.8, meanRewardOverAttempted: 0.73, retries: 2, elapsedSeconds: 65, etaSeconds: 30, byCategory: [] };
    const tree = model(record({ status: 'running', totals }));
    const view = tree.view({ kind: 'run', runId: 'run-1' });
    expect(view.label).toBe('tasks_rollouts.jsonl');
    expect(view.description).toMatch(/^12\/20 · 1 failed · 2 retries · mean 0\.80 · 1m 05s · ETA 30s · workplace_assistant_simple_agent · openai\/gpt-oss-120b · \S/);
    expect(view.contextValue?.split(' ')).toEqual(expect.arrayContaining(['gymRun', 'running', 'hasOutput']));
    expect(view.contextValue?.split(' ')).not.toContain('resumable');
  });

  it('marks finished runs resumable when they stopped early or had failures', () => {
    const totals = { total: 4, done: 3, failed: 1, resumed: 0, meanReward: 1, meanRewardOverAttempted: 0.75, retries: 0, elapsedSeconds: 5, etaSeconds: 0, byCategory: [] };
    expect(model(record({ status: 'interrupted' })).view({ kind: 'run', runId: 'run-1' }).contextValue).toContain('resumable');
    expect(model(record({ status: 'completed', totals })).view({ kind: 'run', runId: 'run-1' }).contextValue).toContain('resumable');
    expect(model(record({ status: 'completed', totals: { ...totals, done: 4, failed: 0 } })).view({ kind: 'run', runId: 'run-1' }).contextValue).not.toContain('resumable');
  });

  it('lists categories, then tasks with their rewards, then rollouts that open the viewer', () => {
    const results = new RunResults();
    results.applyOutcomes([outcome(0, 0, 1), outcome(0, 1, 0), outcome(1, 0, null, 'crm')]);
    const tree = model(record(), results);
    const run: RunsNode = { kind: 'run', runId: 'run-1' };
    const categories = tree.children(run);
    expect(categories.map((node) => tree.view(node).label)).toEqual(['crm', 'email']);
    const emailTasks = tree.children(categories[1]!);
    expect(emailTasks.map((node) => [tree.view(node).label, tree.view(node).description])).toEqual([['task 0 (id 100)', 'rewards 1, 0']]);
    const rollouts = tree.children(emailTasks[0]!);
    expect(rollouts.map((node) => tree.view(node).command?.id)).toEqual(['gymRollouts.openRunInViewer', 'gymRollouts.openRunInViewer']);
    expect(tree.view(rollouts[0]!).command?.args).toEqual([{ runId: 'run-1', taskIndex: 0, rolloutIndex: 0 }]);
    const crmTask = tree.children(categories[0]!)[0]!;
    expect(tree.view(crmTask).description).toBe('rewards ✗');
    expect(tree.view(tree.children(crmTask)[0]!).description).toBe('failed (model_error)');
  });

  it('gives the green check only to a run that wrote every rollout; failures, stops and oracles say so', () => {
    const totals = { total: 4, done: 4, failed: 0, resumed: 0, meanReward: 1, meanRewardOverAttempted: 1, retries: 0, elapsedSeconds: 5, etaSeconds: 0, byCategory: [] };
    const icon = (run: RunRecord) => model(run).view({ kind: 'run', runId: 'run-1' }).icon?.id;
    expect(icon(record({ totals }))).toBe('pass');
    expect(icon(record({ totals: { ...totals, done: 3, failed: 1 } }))).toBe('warning');
    expect(model(record({ totals: { ...totals, done: 3, failed: 1 } })).view({ kind: 'run', runId: 'run-1' }).description).toMatch(/^completed with failures · 4\/4 · 1 failed/);
    expect(icon(record({ status: 'stopped', totals: { ...totals, done: 0, failed: 3 }, error: 'HTTP 401' }))).toBe('debug-pause');
    expect(model(record({ status: 'stopped', error: 'HTTP 401' })).view({ kind: 'run', runId: 'run-1' }).tooltip).toContain('Why it stopped: HTTP 401');
    expect(model(record({ agentName: 'workplace_assistant_oracle_agent', modelName: null })).view({ kind: 'run', runId: 'run-1' }).description).toContain('oracle (no model)');
  });

  it('shows what each task asks, tells reward 0 from not run, and counts attempts', () => {
    const results = new RunResults();
    results.declareTask(0, 'email', '100', 'Reply to carlos about the prototype');
    results.declareTask(1, 'email', '101', 'Delete the last email from nadia');
    results.applyOutcomes([{ ...outcome(0, 0, 0), attempts: 3 }]);
    const tree = model(record(), results);
    const tasks = tree.children(tree.children({ kind: 'run', runId: 'run-1' })[0]!);
    expect(tasks.map((node) => tree.view(node).description)).toEqual(['rewards 0 · Reply to carlos about the prototype', 'not run · Delete the last email from nadia']);
    expect(tree.view(tasks[1]!).collapsible).toBe('none');
    expect(tree.view(tree.children(tasks[0]!)[0]!).description).toBe('reward 0 · 3 attempts');
  });

  it('says what it is waiting for before results are read', () => {
    const tree = model(record());
    expect(tree.needsResults('run-1')).toBe(true);
    expect(tree.children({ kind: 'run', runId: 'run-1' }).map((node) => tree.view(node).label)).toEqual(['loading…']);
  });
});

describe('RunController', () => {
  function setup() {
    const store = new RunStore(new MemoryState());
    const model = new RunsTreeModel(store);
    const sent: { method: string; params: unknown }[] = [];
    let serversEnsured = 0;
    const finished: RunRecord[] = [];
    const controller = new RunController({
      store,
      model,
      host: {
        request: async <P, R>(type: RequestType<P, R, void>, params: P): Promise<R> => {
          sent.push({ method: type.method, params });
          return (type.method === 'collection/cancel' ? { wasRunning: true } : { runId: (params as CollectionStartParams).runId }) as R;
        },
      },
      ensureServers: async () => {
        serversEnsured += 1;
      },
      refresh: () => undefined,
      onFinished: (run) => finished.push(run),
      newRunId: () => 'run-1',
      now: () => 42,
      readResults: async () => new RunResults(),
    });
    return { store, model, controller, sent, finished, serversEnsured: () => serversEnsured };
  }

  const startRequest = {
    options: { inputJsonlPath: '/w/tasks.jsonl', outputJsonlPath: '/w/out.jsonl', numRepeats: 2, resumeFromCache: false },
    agentName: 'workplace_assistant_simple_agent',
    modelName: 'openai/gpt-oss-120b',
    externalHeadServerUrl: null,
  };

  it('starts the servers, then the collection, and follows it to the end', async () => {
    const { controller, store, model, sent, finished, serversEnsured } = setup();
    await controller.start(startRequest);
    expect(serversEnsured()).toBe(1);
    expect(sent).toEqual([{ method: 'collection/start', params: { runId: 'run-1', options: { ...startRequest.options, resumeFromCache: false }, headServerUrl: null } }]);
    controller.onProgress({ runId: 'run-1', progress: progress([outcome(0, 0, 1)]) });
    expect(store.get('run-1')?.totals).toMatchObject({ done: 1, total: 4 });
    expect(model.resultsOf('run-1')?.size).toBe(1);
    controller.onFinished({ runId: 'run-1', outcome: { kind: 'completed', summary: { ...progress([outcome(0, 1, 0)]), outputJsonlPath: '/w/out.jsonl', materializedInputsPath: '', aggregateMetricsPath: '', failuresPath: '', notAttempted: 0, stop: null, cancelled: false, aggregateMetricsWritten: true } } });
    expect(store.get('run-1')).toMatchObject({ status: 'completed', finishedAt: 42 });
    expect(finished.map((run) => run.status)).toEqual(['completed']);
  });

  it('skips the servers for an external deployment and sends its head server', async () => {
    const { controller, sent, serversEnsured } = setup();
    await controller.start({ ...startRequest, externalHeadServerUrl: 'http://head:11000' });
    expect(serversEnsured()).toBe(0);
    expect((sent[0]!.params as CollectionStartParams).headServerUrl).toBe('http://head:11000');
  });

  it('resumes the runs a dead host was running, from their output files', async () => {
    const { controller, store, sent } = setup();
    await controller.start(startRequest);
    controller.hostLost();
    expect(store.get('run-1')?.status).toBe('interrupted');
    // The old host's last word about the run (cancelled on shutdown) does not end it.
    controller.onFinished({ runId: 'run-1', outcome: { kind: 'cancelled', summary: null } });
    expect(store.get('run-1')?.status).toBe('interrupted');
    await controller.resumeLost();
    expect(store.get('run-1')?.status).toBe('running');
    expect(sent.map((message) => [message.method, (message.params as CollectionStartParams).options?.resumeFromCache])).toEqual([
      ['collection/start', false],
      ['collection/start', true],
    ]);
    await controller.resumeLost();
    expect(sent).toHaveLength(2);
  });

  it('marks a run failed when the host refuses it', async () => {
    const store = new RunStore(new MemoryState());
    const failing = new RunController({
      store,
      model: new RunsTreeModel(store),
      host: { request: async () => Promise.reject(new Error('The servers are not running')) },
      ensureServers: async () => undefined,
      refresh: () => undefined,
      newRunId: () => 'run-2',
    });
    await expect(failing.start(startRequest)).rejects.toThrow(/not running/);
    expect(store.get('run-2')).toMatchObject({ status: 'failed', error: 'The servers are not running' });
  });

  it('keeps the timer and the retries across a resume', async () => {
    const { controller, store } = setup();
    await controller.start(startRequest);
    controller.onProgress({ runId: 'run-1', progress: { ...progress([outcome(0, 0, 1)]), elapsedSeconds: 100, retries: 2 } });
    controller.hostLost();
    await controller.resume('run-1');
    controller.onProgress({ runId: 'run-1', progress: { ...progress([outcome(0, 1, 1)]), elapsedSeconds: 10, retries: 1 } });
    expect(store.get('run-1')?.totals).toMatchObject({ elapsedSeconds: 110, retries: 3 });
  });

  it('a collection that stopped itself is stopped, with why, and resumable', async () => {
    const { controller, store } = setup();
    await controller.start(startRequest);
    const summary = { ...progress([outcome(0, 0, null)]), outputJsonlPath: '/w/out.jsonl', materializedInputsPath: '', aggregateMetricsPath: '', failuresPath: '', notAttempted: 3, stop: null, cancelled: false, aggregateMetricsWritten: false };
    controller.onFinished({ runId: 'run-1', outcome: { kind: 'stopped', summary, message: 'The model endpoint rejected the API key.' } });
    expect(store.get('run-1')).toMatchObject({ status: 'stopped', error: 'The model endpoint rejected the API key.' });
  });

  it('cancels through the host', async () => {
    const { controller, sent } = setup();
    await controller.start(startRequest);
    await controller.cancel('run-1');
    expect(sent.at(-1)).toEqual({ method: 'collection/cancel', params: { runId: 'run-1' } });
  });
});

describe('finishedAnnouncement', () => {
  const totals = { total: 10, done: 10, failed: 0, resumed: 0, meanReward: 0.9, meanRewardOverAttempted: 0.9, retries: 1, elapsedSeconds: 65, etaSeconds: 0, byCategory: [] };

  it('is quiet for a clean run and loud, with the next steps, for failures and stops', () => {
    expect(finishedAnnouncement(record({ totals }), 'out.jsonl')).toEqual({
      severity: 'info',
      message: 'Collected 10/10 rollouts into out.jsonl in 1m 05s: mean reward 0.90, 1 retry.',
      actions: ['Open in Viewer'],
    });
    const withFailures = finishedAnnouncement(record({ totals: { ...totals, done: 8, failed: 2, meanReward: 1, meanRewardOverAttempted: 0.8 } }), 'out.jsonl');
    expect(withFailures).toMatchObject({ severity: 'warning', actions: ['Show Failures', 'Open in Viewer', 'Resume'] });
    expect(withFailures.message).toContain('8 written, 2 failed of 10');
    expect(withFailures.message).toContain('Mean reward 1.00 over written rollouts, 0.80 over all (failures as 0)');
    const stopped = finishedAnnouncement(record({ status: 'stopped', totals: { ...totals, done: 0, failed: 3 }, error: 'HTTP 401: bad key.' }), 'out.jsonl');
    expect(stopped).toMatchObject({ severity: 'error', actions: ['Show Failures', 'Resume', 'Show Logs'] });
    expect(stopped.message).toContain('STOPPED: 3 of 10 rollouts are accounted for; HTTP 401: bad key.');
  });
});
