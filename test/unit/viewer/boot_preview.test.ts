import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBootPreview } from '../../../src/core/viewer/boot_preview';
import { entriesFromRuns, entryRuns } from '../../../src/core/viewer/entry_runs';
import type { RolloutRow } from '../../../src/core/viewer/model';
import { BOOT_ELEMENT_ID, DEFAULT_FILTER, DEFAULT_SORT, PROTOCOL_VERSION, type BootSnapshot } from '../../../src/core/viewer/protocol';
import { rowDisplay } from '../../../src/core/viewer/row_display';
import { renderViewerPage } from '../../../src/core/viewer/viewer_html';
import { ViewerSession } from '../../../src/core/viewer/viewer_session';
import { generateRolloutSet, makeTempDir, Random, writeJsonl } from '../../support/rollout_fixtures';

function row(patch: Partial<RolloutRow> = {}): RolloutRow {
  return {
    entry: 0,
    lineNumber: 1,
    taskId: 't1',
    category: 'workplace_assistant_email',
    title: 'Send the report',
    turns: 2,
    toolCalls: 3,
    stateChangingCalls: 1,
    toolErrors: 0,
    responseError: null,
    broken: null,
    hasGroundTruth: true,
    hasRewardExplanation: true,
    reward: 1,
    taskIndex: 0,
    rolloutIndex: 0,
    inputTokens: 100,
    outputTokens: 20,
    totalTokens: 120,
    ...patch,
  };
}

const HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="alert(1)">\'"&';

function snapshot(rows: RolloutRow[]): BootSnapshot {
  return {
    info: {
      protocol: PROTOCOL_VERSION,
      host: 'browser',
      primary: { role: 'primary', path: `/tmp/${HOSTILE}.jsonl`, name: `${HOSTILE}.jsonl`, bytes: 2048, rollouts: rows.length, pendingLine: null, inputPath: null },
      compare: null,
      categories: [],
      live: false,
      indexing: false,
      initialEntry: null,
      initialTurn: null,
      initialRollout: null,
      initialTab: null,
      failuresPath: null,
      abilities: { revealLine: false, openLinks: false },
      problem: null,
    },
    list: { filter: DEFAULT_FILTER, sort: DEFAULT_SORT, total: rows.length, entryRuns: [[0, rows.length]], rows },
  };
}

describe('entry runs', () => {
  it('round-trip any list of entries, and a file in order is one run', () => {
    const rng = new Random(5);
    for (let k = 0; k < 200; k++) {
      const entries = Array.from({ length: rng.int(60) }, () => rng.int(40));
      expect(entriesFromRuns(entryRuns(entries))).toEqual(entries);
    }
    expect(entryRuns(Array.from({ length: 25_000 }, (_, i) => i))).toEqual([[0, 25_000]]);
    expect(entryRuns([4, 5, 6, 1, 2, 9])).toEqual([[4, 3], [1, 2], [9, 1]]);
  });
});

describe('row display', () => {
  it('flags a broken line first, then a response error, then tool errors', () => {
    expect(rowDisplay(row({ broken: 'not JSON', responseError: 'incomplete', toolErrors: 2 }))).toMatchObject({ pill: 'ERR', pillClass: 'pill fail', flag: { className: 'flag error', title: 'not JSON' }, text: 'line 1: not JSON', textClass: 'vrow-text error-text', turns: '' });
    expect(rowDisplay(row({ responseError: 'incomplete', toolErrors: 2 })).flag).toEqual({ className: 'flag error', title: 'incomplete', text: '!' });
    expect(rowDisplay(row({ toolErrors: 2 })).flag).toEqual({ className: 'flag warn', title: '2 tool calls returned an error', text: '⚠' });
    expect(rowDisplay(row({ reward: 0, title: null, taskId: null, taskIndex: 7, rolloutIndex: null }))).toMatchObject({ pill: '0.0', pillClass: 'pill fail', task: '#7', repeat: '', text: '(no user message)', category: 'email', tokens: '120' });
  });
});

describe('the first screen written into the page', () => {
  it('shows every value from the file as text: no markup or script from a rollout gets into the page', () => {
    const rows = [row({ title: HOSTILE, taskId: HOSTILE, category: HOSTILE }), row({ entry: 1, lineNumber: 2, broken: HOSTILE })];
    const boot = snapshot(rows);
    const page = renderViewerPage({ nonce: 'n0nce', scriptUri: '/viewer.js', styleUri: '/viewer.css', contentSecurityPolicy: "default-src 'none'", title: 't', host: 'browser', inlineStyle: 'body{}', boot });
    expect(page).not.toContain('<script>window.__pwned');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('onerror="');
    expect(renderBootPreview(boot)).toContain('&#60;/script&#62;&#60;script&#62;window.__pwned=1');
    // The JSON block holds no `<` at all, so nothing in it can close the script element; it parses back exactly.
    const json = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">([^<]*)</script>`).exec(page)?.[1] ?? '';
    expect(json).not.toBe('');
    expect((JSON.parse(json) as BootSnapshot).list.rows[0]?.title).toBe(HOSTILE);
    // Only the page's own scripts: the nonce'd start and the JSON data block.
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<script nonce="n0nce">/g)).toHaveLength(1);
    expect(page).toContain('<style nonce="n0nce">body{}</style>');
  });

  it('marks the first row for Element Timing and lists the rows in order', () => {
    const html = renderBootPreview(snapshot([row({ title: 'first' }), row({ entry: 1, title: 'second' })]));
    expect(html.match(/elementtiming="first-rows"/g)).toHaveLength(1);
    expect(html.indexOf('first')).toBeLessThan(html.indexOf('second'));
  });

  it('keeps the ordinary page (a module script, a linked stylesheet) when there is no snapshot', () => {
    const page = renderViewerPage({ nonce: 'n', scriptUri: '/viewer.js', styleUri: '/viewer.css', contentSecurityPolicy: "default-src 'none'", title: 't', host: 'browser' });
    expect(page).toContain('<script type="module" nonce="n" src="/viewer.js"></script>');
    expect(page).toContain('<link rel="stylesheet" nonce="n" href="/viewer.css">');
    expect(page).not.toContain('boot-preview');
  });
});

describe('ViewerSession.bootSnapshot', () => {
  const sessions: ViewerSession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.dispose();
  });

  it('is null until the file is indexed, then shows the list as the page last queried it', async () => {
    const set = generateRolloutSet({ tasks: 30, repeats: 2, withIndices: true, datasetFields: true, seed: 61 });
    const session = new ViewerSession({ rolloutsPath: writeJsonl(join(makeTempDir(), 'r.jsonl'), set.lines), host: 'browser', live: false });
    sessions.push(session);
    expect(session.bootSnapshot()).toBeNull();
    await session.whenReady();

    const first = session.bootSnapshot();
    expect(first?.list.filter).toEqual(DEFAULT_FILTER);
    expect(first?.list.entryRuns).toEqual([[0, 60]]);
    expect(first?.list.rows.map((r) => r.entry)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(first?.info).toEqual(session.info());

    const filter = { ...DEFAULT_FILTER, reward: 'fail' as const };
    const sort = { key: 'tokens' as const, descending: true };
    const queried = await session.handle({ type: 'query', filter, sort });
    // A query within search results is not the list's own query: it leaves the snapshot alone.
    await session.handle({ type: 'query', filter: DEFAULT_FILTER, sort: DEFAULT_SORT, within: [1, 2] });
    const again = session.bootSnapshot();
    expect(again?.list).toMatchObject({ filter, sort, total: 60 });
    expect(entriesFromRuns(again?.list.entryRuns ?? [])).toEqual(queried.entries);
    expect(again?.list.rows.map((r) => r.entry)).toEqual(queried.entries.slice(0, 40));
    expect(again?.list.rows.every((r) => r.reward !== null && r.reward <= 0)).toBe(true);
  });
});
