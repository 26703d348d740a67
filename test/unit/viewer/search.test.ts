import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RolloutIndex } from '../../../src/core/viewer/rollout_index';
import { jsonNeedles, searchRollouts } from '../../../src/core/viewer/search';
import type { SearchMatch } from '../../../src/core/viewer/model';
import { generateRolloutSet, makeRollout, makeTask, makeTempDir, Random, serialize, writeJsonl, type JsonFormat } from '../../support/rollout_fixtures';

async function indexOf(lines: string[]): Promise<RolloutIndex> {
  return RolloutIndex.open(writeJsonl(join(makeTempDir(), 'r.jsonl'), lines));
}

function all(index: RolloutIndex): number[] {
  return Array.from({ length: index.count }, (_, i) => i);
}

async function search(index: RolloutIndex, text: string, limit = 100): Promise<{ matches: SearchMatch[]; outcome: Awaited<ReturnType<typeof searchRollouts>> }> {
  const matches: SearchMatch[] = [];
  const outcome = await searchRollouts(index, { text, candidates: all(index), limit, onProgress: (m) => matches.push(...m) });
  return { matches, outcome };
}

describe('searchRollouts', () => {
  const rng = new Random(4);
  const task = { ...makeTask(0, rng), prompt: 'Delete the email from Zephyrine about the "Q4 budget"' };
  const lines = [
    serialize(makeRollout({ task, rng, reasoning: true, finalMessage: 'I removed the Wintergreen message.' }), 'python'),
    serialize(makeRollout({ task: makeTask(1, rng), rng }), 'compact'),
    serialize(makeRollout({ task: { ...makeTask(2, rng), prompt: 'Écris à Zoë à propos du café' }, rng }), 'python'),
    serialize(makeRollout({ task: { ...makeTask(3, rng), prompt: 'Écris à Zoë à propos du café' }, rng }), 'compact'),
  ];

  it('finds text in user messages, assistant messages, reasoning, arguments and tool outputs', async () => {
    const index = await indexOf(lines);
    expect((await search(index, 'zephyrine')).matches.map((m) => [m.entry, m.where])).toEqual([[0, 'user']]);
    expect((await search(index, 'WINTERGREEN')).matches.map((m) => m.where)).toEqual(['assistant']);
    expect((await search(index, 'I should call')).matches[0]?.where).toBe('reasoning');
    const args = (await search(index, '"query"')).matches;
    expect(args.map((m) => [m.entry, m.where, m.name])).toEqual([
      [0, 'arguments', 'email_search_emails'],
      [1, 'arguments', 'calendar_search_events'],
    ]);
    const outputs = (await search(index, 'total_emails')).matches;
    expect(outputs[0]).toMatchObject({ entry: 0, where: 'output', name: 'email_search_emails' });
  });

  it('matches quotes and non-ASCII in both JSON styles', async () => {
    const index = await indexOf(lines);
    expect((await search(index, '"Q4 budget"')).matches.map((m) => m.entry)).toEqual([0]);
    const accents = (await search(index, 'zoë à propos')).matches;
    expect(accents.map((m) => m.entry)).toEqual([2, 3]);
    expect(accents[0]?.match).toBe('Zoë à propos');
  });

  it('does not match the tool schemas every line repeats', async () => {
    const index = await indexOf(lines);
    const { matches, outcome } = await search(index, 'Unique ID of the email to be deleted');
    expect(lines[1]).toContain('Unique ID of the email to be deleted');
    expect(matches).toEqual([]);
    expect(outcome.scanned).toBe(4);
  });

  it('cuts a snippet around the match', async () => {
    const index = await indexOf(lines);
    const [match] = (await search(index, 'Zephyrine')).matches;
    expect(`${match?.before}${match?.match}${match?.after}`).toContain('Delete the email from Zephyrine about');
    expect(match?.match).toBe('Zephyrine');
  });

  for (const format of ['python', 'compact'] as JsonFormat[]) {
    it(`stops at the limit (${format})`, async () => {
      const set = generateRolloutSet({ tasks: 20, repeats: 2, format, seed: 8 });
      const index = await indexOf(set.lines);
      const { matches, outcome } = await search(index, 'Done.', 7);
      expect(matches).toHaveLength(7);
      expect(outcome).toMatchObject({ matched: 7, limitReached: true, cancelled: false });
    });
  }

  it('searches only the candidates it is given', async () => {
    const set = generateRolloutSet({ tasks: 10, repeats: 1, seed: 9 });
    const index = await indexOf(set.lines);
    const matches: SearchMatch[] = [];
    const outcome = await searchRollouts(index, { text: 'Done.', candidates: [1, 3, 8], limit: 100, onProgress: (m) => matches.push(...m) });
    expect(matches.map((m) => m.entry)).toEqual([1, 3, 8]);
    expect(outcome.scanned).toBe(3);
  });

  it('can be cancelled', async () => {
    const set = generateRolloutSet({ tasks: 40, repeats: 1, seed: 10 });
    const index = await indexOf(set.lines);
    const controller = new AbortController();
    let reports = 0;
    const outcome = await searchRollouts(index, {
      text: 'no such text anywhere',
      candidates: all(index),
      limit: 100,
      batchBytes: 20_000,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: () => {
        reports++;
        controller.abort();
      },
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.scanned).toBeLessThan(40);
    expect(reports).toBeGreaterThan(0);
  });

  it('searches the raw text of broken lines', async () => {
    const index = await indexOf(['{"reward": 1, "oops": ', 'plain text with a Needle in it']);
    expect((await search(index, 'needle')).matches.map((m) => m.entry)).toEqual([1]);
  });

  it('escapes the needle the way each JSON writer does', () => {
    expect(jsonNeedles('say "hi"')).toEqual(['say \\"hi\\"']);
    expect(jsonNeedles('Café')).toEqual(['café', 'caf\\u00e9']);
  });
});
