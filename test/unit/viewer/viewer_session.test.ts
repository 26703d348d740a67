import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ViewerEvent } from '../../../src/core/viewer/protocol';
import { parseViewerRequest } from '../../../src/core/viewer/request_schema';
import { ViewerSession } from '../../../src/core/viewer/viewer_session';
import { generateRolloutSet, jsonlText, makeTempDir, writeJsonl } from '../../support/rollout_fixtures';

const sessions: ViewerSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

function open(options: ConstructorParameters<typeof ViewerSession>[0]): ViewerSession {
  const session = new ViewerSession(options);
  sessions.push(session);
  return session;
}

function waitFor(session: ViewerSession, test: (e: ViewerEvent) => boolean, timeoutMs = 10_000): Promise<ViewerEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no such event')), timeoutMs);
    const off = session.onEvent((event) => {
      if (!test(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

describe('ViewerSession', () => {
  it('answers the protocol requests', async () => {
    const set = generateRolloutSet({ tasks: 10, repeats: 2, withIndices: true, datasetFields: true, seed: 41 });
    const base = generateRolloutSet({ tasks: 10, repeats: 2, withIndices: true, datasetFields: true, seed: 42 });
    const dir = makeTempDir();
    const session = open({ rolloutsPath: writeJsonl(join(dir, 'a.jsonl'), set.lines), comparePath: writeJsonl(join(dir, 'b.jsonl'), base.lines), host: 'browser', live: false });
    const ready = await session.handle({ type: 'ready' });
    expect(ready.protocol).toBe(PROTOCOL_VERSION);
    await session.whenReady();
    const info = await session.handle({ type: 'ready' });
    expect(info).toMatchObject({ indexing: false, primary: { rollouts: 20, name: 'a.jsonl' }, compare: { rollouts: 20 } });
    expect(info.categories).toHaveLength(5);

    const passing = await session.handle({ type: 'query', filter: { reward: 'pass' }, sort: { key: 'line', descending: false } });
    expect(passing.entries).toEqual(set.rewards.flatMap((r, i) => (r === 1 ? [i] : [])));
    expect(passing.total).toBe(20);
    const email = await session.handle({ type: 'query', filter: { categories: ['workplace_assistant_email'] }, sort: { key: 'reward', descending: true } });
    const rows = (await session.handle({ type: 'rows', role: 'primary', entries: email.entries })).rows;
    expect(rows.every((r) => r.category === 'workplace_assistant_email')).toBe(true);
    expect(rows.map((r) => r.reward)).toEqual([...rows.map((r) => r.reward)].sort((a, b) => (b ?? 0) - (a ?? 0)));
    const byTask = await session.handle({ type: 'query', filter: { taskId: '3' }, sort: { key: 'line', descending: false } });
    expect(byTask.entries).toEqual([6, 7]);
    const turns = await session.handle({ type: 'query', filter: { turnsMin: 4, turnsMax: 4 }, sort: { key: 'line', descending: false } });
    const turnRows = (await session.handle({ type: 'rows', role: 'primary', entries: turns.entries })).rows;
    expect(turnRows.length).toBeGreaterThan(0);
    expect(turnRows.every((r) => r.turns === 4)).toBe(true);

    const summary = await session.handle({ type: 'summary', role: 'primary' });
    expect(summary.rollouts).toBe(20);
    const rollout = await session.handle({ type: 'rollout', role: 'compare', entry: 3 });
    expect(rollout.role).toBe('compare');
    expect(rollout.buildMs).toBeGreaterThanOrEqual(0);
    const compare = await session.handle({ type: 'compare' });
    expect(compare?.rows).toHaveLength(10);

    const done = waitFor(session, (e) => e.type === 'searchDone' && e.searchId === 's1');
    const matches: number[] = [];
    session.onEvent((e) => {
      if (e.type === 'searchMatches' && e.searchId === 's1') matches.push(...e.matches.map((m) => m.entry));
    });
    const started = await session.handle({ type: 'search', searchId: 's1', text: 'Done.', filter: { reward: 'fail' }, limit: 100 });
    expect(started.candidates).toBe(20 - passing.entries.length);
    const finished = await done;
    expect(finished).toMatchObject({ matched: started.candidates, cancelled: false });
    expect(matches.every((e) => set.rewards[e] === 0)).toBe(true);
  });

  it('follows a file that a collection appends to', async () => {
    const set = generateRolloutSet({ tasks: 6, repeats: 1, withIndices: true, datasetFields: true, seed: 43 });
    const path = join(makeTempDir(), 'live.jsonl');
    writeFileSync(path, jsonlText(set.lines.slice(0, 2)));
    const session = open({ rolloutsPath: path, host: 'browser', live: true, pollIntervalMs: 50 });
    await session.whenReady();
    const third = set.lines[2] as string;
    const pending = waitFor(session, (e) => e.type === 'appended' && e.info.primary.pendingLine === 3);
    appendFileSync(path, third.slice(0, 500));
    const pendingEvent = await pending;
    expect(pendingEvent.type === 'appended' && pendingEvent.added).toBe(0);
    expect((await session.handle({ type: 'ready' })).primary).toMatchObject({ rollouts: 2, pendingLine: 3 });
    const appended = waitFor(session, (e) => e.type === 'appended' && e.info.primary.rollouts === 6);
    appendFileSync(path, `${third.slice(500)}\n${jsonlText(set.lines.slice(3))}`);
    const event = await appended;
    expect(event.type === 'appended' && event.info.primary.pendingLine).toBeNull();
    expect(event.type === 'appended' && event.info.primary.rollouts).toBe(6);
    expect((await session.handle({ type: 'summary', role: 'primary' })).rollouts).toBe(6);

    const reset = waitFor(session, (e) => e.type === 'reset');
    writeFileSync(path, jsonlText(set.lines.slice(0, 1)));
    const resetEvent = await reset;
    expect(resetEvent.type === 'reset' && resetEvent.info.primary.rollouts).toBe(1);
  });

  it('says when the watched file is deleted (still showing what it held), and reads it again when it comes back', async () => {
    const set = generateRolloutSet({ tasks: 3, repeats: 1, withIndices: true, datasetFields: true, seed: 44 });
    const path = join(makeTempDir(), 'going.jsonl');
    writeFileSync(path, jsonlText(set.lines));
    const session = open({ rolloutsPath: path, host: 'browser', live: true, pollIntervalMs: 50 });
    await session.whenReady();
    const gone = waitFor(session, (e) => e.type === 'appended' && e.info.primary.gone === true);
    rmSync(path);
    const goneEvent = await gone;
    expect(goneEvent.type === 'appended' && goneEvent.info.primary.rollouts).toBe(3);
    expect((await session.handle({ type: 'ready' })).primary.gone).toBe(true);
    const back = waitFor(session, (e) => e.type === 'reset');
    writeFileSync(path, jsonlText(set.lines.slice(0, 1)));
    const backEvent = await back;
    expect(backEvent.type === 'reset' && backEvent.info.primary).toMatchObject({ rollouts: 1 });
    expect(backEvent.type === 'reset' && backEvent.info.primary.gone).toBeUndefined();
  });

  it('sees a file written again in place at the same size (the list and the summary follow)', async () => {
    const path = join(makeTempDir(), 'same_size.jsonl');
    writeFileSync(path, ['{"reward": 0.0, "id": "A0"}', '{"reward": 0.0, "id": "A1"}'].join('\n') + '\n');
    const session = open({ rolloutsPath: path, host: 'browser', live: true, pollIntervalMs: 50 });
    await session.whenReady();
    expect((await session.handle({ type: 'summary', role: 'primary' })).meanReward).toBe(0);
    const reset = waitFor(session, (e) => e.type === 'reset');
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(path, ['{"reward": 1.0, "id": "B0"}', '{"reward": 1.0, "id": "B1"}'].join('\n') + '\n');
    await reset;
    expect((await session.handle({ type: 'summary', role: 'primary' })).meanReward).toBe(1);
  });

  it('a valid line nested too deeply to show gets an error naming the file and line; the session answers on', async () => {
    const path = join(makeTempDir(), 'deep.jsonl');
    const depth = 50_000;
    writeFileSync(path, `{"reward": 1.0}\n{"reward": 1.0, "response": {"output": ${'['.repeat(depth)}${']'.repeat(depth)}}}\n`);
    const session = open({ rolloutsPath: path, host: 'browser', live: false });
    await session.whenReady();
    await expect(session.handle({ type: 'rollout', role: 'primary', entry: 1 })).rejects.toThrow(`${path}:2: this rollout's JSON is nested too deeply to show here`);
    expect((await session.handle({ type: 'rollout', role: 'primary', entry: 0 })).lineNumber).toBe(1);
  });

  it('an input row over 1 MB is said to be too big to show, not "not valid JSON"', async () => {
    const dir = makeTempDir();
    const path = join(dir, 'big.jsonl');
    writeFileSync(path, `${JSON.stringify({ _ng_task_index: 0, _ng_rollout_index: 0, reward: 1.0 })}\n`);
    const row = JSON.stringify({ _ng_task_index: 0, _ng_rollout_index: 0, responses_create_params: { input: [{ role: 'user', content: 'x'.repeat(1_500_000) }] } });
    writeFileSync(join(dir, 'big_materialized_inputs.jsonl'), `${row}\n`);
    const session = open({ rolloutsPath: path, host: 'browser', live: false });
    await session.whenReady();
    const input = await session.handle({ type: 'taskInput', taskIndex: 0 });
    expect(input).toMatchObject({ lineNumber: 1, json: null, problem: `The row is 1.4 MB, over the 1 MB shown here: open ${join(dir, 'big_materialized_inputs.jsonl')} at line 1.` });
  });

  it('reports a file it cannot read', async () => {
    const session = open({ rolloutsPath: join(makeTempDir(), 'missing.jsonl'), host: 'browser', live: false });
    await expect(session.whenReady()).rejects.toThrow();
    expect((await session.handle({ type: 'ready' })).problem).toMatch(/ENOENT|no such file/);
    await expect(session.handle({ type: 'summary', role: 'primary' })).rejects.toThrow();
  });
});

describe('parseViewerRequest', () => {
  it('accepts the protocol and rejects anything else', () => {
    expect(parseViewerRequest({ type: 'rollout', role: 'primary', entry: 3 }).ok).toBe(true);
    expect(parseViewerRequest({ type: 'rollout', role: 'primary', entry: -1 }).ok).toBe(false);
    expect(parseViewerRequest({ type: 'rollout', role: '../etc', entry: 1 }).ok).toBe(false);
    expect(parseViewerRequest({ type: 'rows', role: 'primary', entries: new Array(5000).fill(0) }).ok).toBe(false);
    expect(parseViewerRequest({ type: 'readFile', path: '/etc/passwd' }).ok).toBe(false);
    expect(parseViewerRequest({ type: 'ready', path: '/etc/passwd' }).ok).toBe(false);
  });
});

describe('ViewerSession: failures, inputs, raw lines, deep links', () => {
  it('answers failures, taskInput, rawLine, locate, itemText, and says what the host cannot do', async () => {
    const set = generateRolloutSet({ tasks: 4, repeats: 2, withIndices: true, datasetFields: true, seed: 51 });
    const dir = makeTempDir();
    const path = writeJsonl(join(dir, 'r_rollouts.jsonl'), set.lines);
    writeFileSync(join(dir, 'r_rollouts_materialized_inputs.jsonl'), jsonlText(set.materializedInputs));
    writeFileSync(
      join(dir, 'r_rollouts_failures.jsonl'),
      jsonlText([JSON.stringify({ _ng_task_index: 2, _ng_rollout_index: 1, _ng_attempt_index: 2, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 503', upstream_status: 503 }), 'not json']),
    );
    const session = open({ rolloutsPath: path, host: 'browser', live: false, initialTab: 'failures', initialRollout: { taskIndex: 1, rolloutIndex: 1 } });
    await session.whenReady();
    const info = await session.handle({ type: 'ready' });
    expect(info).toMatchObject({ initialTab: 'failures', initialRollout: { taskIndex: 1, rolloutIndex: 1 }, failuresPath: join(dir, 'r_rollouts_failures.jsonl'), abilities: { revealLine: false, openLinks: false } });

    const failures = await session.handle({ type: 'failures' });
    expect(failures).toMatchObject({ total: 1, unreadable: 1, truncated: false, byClass: [{ failureClass: 'model_error', count: 1, terminal: 0 }] });
    expect(failures?.entries[0]).toMatchObject({ lineNumber: 1, taskIndex: 2, rolloutIndex: 1, attempts: 3, upstreamStatus: 503, message: 'HTTP 503' });

    const input = await session.handle({ type: 'taskInput', taskIndex: 2 });
    expect(input.path).toBe(join(dir, 'r_rollouts_materialized_inputs.jsonl'));
    expect(input.json).toContain('"_ng_task_index": 2');
    expect(input.prompt).toBe(set.tasks[2]?.prompt);
    expect((await session.handle({ type: 'taskInput', taskIndex: 99 })).problem).toMatch(/not in/);

    const raw = await session.handle({ type: 'rawLine', role: 'primary', entry: 3 });
    expect(raw).toEqual({ lineNumber: 4, text: set.lines[3], bytes: Buffer.byteLength(`${set.lines[3]}\n`), truncated: false });
    expect(await session.handle({ type: 'revealLine', role: 'primary', entry: 3 })).toEqual({ revealed: false });
    expect(await session.handle({ type: 'openLink', url: 'https://example.invalid/' })).toEqual({ opened: false });

    const at = (t: number, r: number) => set.lines.findIndex((line) => line.includes(`"_ng_task_index": ${t},`) && line.includes(`"_ng_rollout_index": ${r}`));
    expect(await session.handle({ type: 'locate', role: 'primary', taskIndex: 3, rolloutIndex: 1 })).toEqual({ entry: at(3, 1) });
    expect(await session.handle({ type: 'locate', role: 'primary', taskIndex: 3, rolloutIndex: 9 })).toEqual({ entry: null });

    // A long tool output travels as its beginning; itemText gives all of it.
    const view = await session.handle({ type: 'rollout', role: 'primary', entry: 0 });
    const index = view.items.findIndex((item) => item.kind === 'output' && item.output.whole);
    expect(index).toBeGreaterThanOrEqual(0);
    const clipped = view.items[index];
    const full = await session.handle({ type: 'itemText', role: 'primary', entry: 0, item: index });
    if (clipped?.kind !== 'output' || !clipped.output.whole) throw new Error('expected a previewed output');
    expect(full.text?.length).toBe(clipped.output.whole.chars);
    expect(full.text?.startsWith(clipped.output.text)).toBe(true);
  });

  it('uses the host hooks for revealLine and openLink', async () => {
    const set = generateRolloutSet({ tasks: 2, repeats: 1, withIndices: true, seed: 52 });
    const path = writeJsonl(join(makeTempDir(), 'x.jsonl'), set.lines);
    const revealed: [string, number][] = [];
    const session = open({ rolloutsPath: path, host: 'vscode', live: false, revealLine: async (file, line) => (revealed.push([file, line]), true), openLink: async (url) => url.startsWith('https:') });
    await session.whenReady();
    expect((await session.handle({ type: 'ready' })).abilities).toEqual({ revealLine: true, openLinks: true });
    expect(await session.handle({ type: 'revealLine', role: 'primary', entry: 1 })).toEqual({ revealed: true });
    expect(revealed).toEqual([[path, 2]]);
    expect(await session.handle({ type: 'openLink', url: 'https://example.invalid/' })).toEqual({ opened: true });
    expect(parseViewerRequest({ type: 'openLink', url: 'x'.repeat(5000) }).ok).toBe(false);
  });
});
