import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RolloutIndex, readRollout } from '../../../src/core/viewer/rollout_index';
import { EXAMPLE_ROLLOUTS_PATH as EXAMPLE } from '../../support/fake_openai/shared_data';
import { generateRolloutSet, jsonlText, makeRollout, makeTask, makeTempDir, Random, serialize } from '../../support/rollout_fixtures';

function tempFile(name: string, content: string | Buffer): string {
  const path = join(makeTempDir(), name);
  writeFileSync(path, content);
  return path;
}

function lines(n: number, seed = 5): string[] {
  return generateRolloutSet({ tasks: n, repeats: 1, withIndices: true, datasetFields: true, seed }).lines;
}

describe('RolloutIndex', () => {
  it('indexes the real example file (no trailing newline) and reads each line back', async () => {
    const index = await RolloutIndex.open(EXAMPLE);
    expect(index.count).toBe(5);
    expect(index.pendingTail).toBeNull();
    const original = readFileSync(EXAMPLE, 'utf8').split('\n');
    for (let i = 0; i < index.count; i++) {
      const line = await readRollout(index, i);
      expect(line.text).toBe(original[i]);
      expect(line.lineNumber).toBe(i + 1);
      expect(line.record?.reward).toBe(i === 0 ? 0 : 1);
    }
  });

  it('handles CRLF line breaks', async () => {
    const content = lines(4);
    const index = await RolloutIndex.open(tempFile('crlf.jsonl', jsonlText(content, { crlf: true })));
    expect(index.count).toBe(4);
    for (let i = 0; i < 4; i++) {
      const line = await readRollout(index, i);
      expect(line.text).toBe(content[i]);
      expect(line.error).toBeNull();
    }
    expect(index.taskIndex(3)).toBe(3);
  });

  it('skips blank lines but keeps physical line numbers', async () => {
    const [a, b] = lines(2);
    const index = await RolloutIndex.open(tempFile('blank.jsonl', `\n${a}\n\n   \n\t\n${b}\n\n`));
    expect(index.count).toBe(2);
    expect([index.lineNumber(0), index.lineNumber(1)]).toEqual([2, 6]);
  });

  it('keeps non-JSON lines as error entries with their line numbers', async () => {
    const [a, b] = lines(2);
    const index = await RolloutIndex.open(tempFile('bad.jsonl', `${a}\nthis is not json\n[1,2]\n{"reward": 1,\n${b}\n`));
    expect(index.count).toBe(5);
    expect([index.broken(0), index.broken(1), index.broken(2), index.broken(3), index.broken(4)]).toEqual([
      null,
      'not valid JSON',
      'not a JSON object',
      'not valid JSON',
      null,
    ]);
    expect(index.lineNumber(3)).toBe(4);
    expect(Number.isNaN(index.reward(1))).toBe(true);
    const broken = await readRollout(index, 1);
    expect(broken.record).toBeNull();
    expect(broken.error).toMatch(/JSON/);
    expect(broken.text).toBe('this is not json');
  });

  it('marks a line broken when only the full parse finds the problem', async () => {
    const index = await RolloutIndex.open(tempFile('escape.jsonl', '{"reward": 1, "bad": "\\x41"}\n'));
    expect(index.broken(0)).toBeNull();
    const line = await readRollout(index, 0);
    expect(line.record).toBeNull();
    expect(index.broken(0)).not.toBeNull();
  });

  it('reads Python NaN and Infinity tokens', async () => {
    const index = await RolloutIndex.open(tempFile('nan.jsonl', '{"reward": NaN, "score": Infinity, "text": "NaN inside a string"}\n'));
    expect(Number.isNaN(index.reward(0))).toBe(true);
    const line = await readRollout(index, 0);
    expect(line.record).toEqual({ reward: null, score: null, text: 'NaN inside a string' });
  });

  it('indexes lines longer than the read buffer', async () => {
    const rng = new Random(3);
    const huge = serialize(makeRollout({ task: makeTask(0, rng), rng, targetBytes: 1_500_000, taskIndex: 0, rolloutIndex: 0, datasetFields: true }), 'compact');
    expect(huge.length).toBeGreaterThan(1_400_000);
    const small = lines(3);
    const path = tempFile('huge.jsonl', jsonlText([small[0] as string, huge, small[1] as string, huge, small[2] as string]));
    const index = await RolloutIndex.open(path, { chunkSize: 64 * 1024 });
    expect(index.count).toBe(5);
    expect(index.byteLength(1)).toBe(Buffer.byteLength(huge) + 1);
    expect(index.toolCalls(1)).toBe(JSON.parse(huge).response.output.filter((o: { type: string }) => o.type === 'function_call').length);
    expect((await readRollout(index, 4)).text).toBe(small[2]);
  });

  it('reads multi-byte characters split across read chunks', async () => {
    const task = { ...makeTask(0, new Random(1)), prompt: '日本語のタスク 🙂 '.repeat(40) };
    const line = serialize(makeRollout({ task }), 'compact');
    const index = await RolloutIndex.open(tempFile('utf8.jsonl', jsonlText([line, line, line])), { chunkSize: 1000 });
    expect(index.count).toBe(3);
    expect(index.title(2)?.startsWith('日本語のタスク 🙂')).toBe(true);
    expect((await readRollout(index, 2)).text).toBe(line);
  });

  describe('appendNewBytes', () => {
    it('indexes only appended lines', async () => {
      const content = lines(6);
      const path = tempFile('live.jsonl', jsonlText(content.slice(0, 2)));
      const index = await RolloutIndex.open(path);
      expect(index.count).toBe(2);
      expect(await index.appendNewBytes()).toEqual({ added: 0, reset: false });
      appendFileSync(path, jsonlText(content.slice(2, 5)));
      expect(await index.appendNewBytes()).toEqual({ added: 3, reset: false });
      expect(index.taskIndex(4)).toBe(4);
      expect((await readRollout(index, 4)).text).toBe(content[4]);
    });

    it('waits for the newline of a half-written line', async () => {
      const content = lines(3);
      const third = content[2] as string;
      const path = tempFile('torn.jsonl', `${content[0]}\n${content[1]}\n${third.slice(0, 1000)}`);
      const index = await RolloutIndex.open(path);
      expect(index.count).toBe(2);
      expect(index.pendingTail).toEqual({ lineNumber: 3, offset: Buffer.byteLength(`${content[0]}\n${content[1]}\n`), byteLength: 1000 });
      appendFileSync(path, third.slice(1000, 5000));
      expect((await index.appendNewBytes()).added).toBe(0);
      expect(index.pendingTail?.lineNumber).toBe(3);
      appendFileSync(path, `${third.slice(5000)}\n`);
      expect(await index.appendNewBytes()).toEqual({ added: 1, reset: false });
      expect(index.pendingTail).toBeNull();
      expect((await readRollout(index, 2)).text).toBe(third);
    });

    it('absorbs the newline of a complete last line that lacked one', async () => {
      const content = lines(3);
      const path = tempFile('unterminated.jsonl', `${content[0]}\n${content[1]}`);
      const index = await RolloutIndex.open(path);
      expect(index.count).toBe(2);
      expect(index.pendingTail).toBeNull();
      appendFileSync(path, `\n${content[2]}\n`);
      expect(await index.appendNewBytes()).toEqual({ added: 1, reset: false });
      expect(index.byteLength(1)).toBe(Buffer.byteLength(content[1] as string) + 1);
      expect(index.lineNumber(2)).toBe(3);
      expect((await readRollout(index, 2)).text).toBe(content[2]);
    });

    it('splits a line glued to an unterminated last line', async () => {
      const content = lines(2);
      const path = tempFile('glued.jsonl', `${content[0]}`);
      const index = await RolloutIndex.open(path);
      appendFileSync(path, `${content[1]}\n`);
      expect((await index.appendNewBytes()).added).toBe(1);
      expect((await readRollout(index, 0)).text).toBe(content[0]);
      expect((await readRollout(index, 1)).text).toBe(content[1]);
    });

    it('starts over when the file shrinks or is replaced', async () => {
      const content = lines(5);
      const path = tempFile('rotate.jsonl', jsonlText(content));
      const index = await RolloutIndex.open(path);
      expect(index.count).toBe(5);
      writeFileSync(path, jsonlText(content.slice(0, 2)));
      expect(await index.appendNewBytes()).toEqual({ added: 2, reset: true });
      expect(index.count).toBe(2);
    });

    it('starts over when the file is written again in place at the same size (an editor saving an edit)', async () => {
      const content = lines(5);
      const path = tempFile('edited.jsonl', jsonlText(content));
      const index = await RolloutIndex.open(path);
      const third = content[2] as string;
      const edited = third.replace(/"reward": ?(\d)/, (match, digit: string) => match.replace(digit, digit === '1' ? '0' : '1'));
      expect(edited).not.toBe(third);
      expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(third));
      // A moment later, as a save would be: the modification time moves on.
      await new Promise((resolve) => setTimeout(resolve, 20));
      writeFileSync(path, jsonlText([...content.slice(0, 2), edited, ...content.slice(3)]));
      expect(await index.appendNewBytes()).toEqual({ added: 5, reset: true });
      expect((await readRollout(index, 2)).text).toBe(edited);
    });

    it('starts over when the file is truncated and written again longer between two looks (cp over it)', async () => {
      const path = tempFile('copied.jsonl', jsonlText(lines(3, 1)));
      const index = await RolloutIndex.open(path);
      const other = lines(5, 2);
      writeFileSync(path, jsonlText(other));
      expect(await index.appendNewBytes()).toEqual({ added: 5, reset: true });
      for (let entry = 0; entry < 5; entry++) expect((await readRollout(index, entry)).text).toBe(other[entry]);
      // An edit in the middle that makes the file longer moves its end: also a rewrite, not an append.
      const longer = [...other.slice(0, 2), (other[2] as string).replace('{', '{"note": "edited", '), ...other.slice(3)];
      writeFileSync(path, jsonlText(longer));
      expect(await index.appendNewBytes()).toEqual({ added: 5, reset: true });
      expect((await readRollout(index, 2)).text).toBe(longer[2]);
    });

    it('serialises concurrent calls', async () => {
      const content = lines(8);
      const path = tempFile('concurrent.jsonl', jsonlText(content.slice(0, 1)));
      const index = await RolloutIndex.open(path);
      appendFileSync(path, jsonlText(content.slice(1)));
      const results = await Promise.all([index.appendNewBytes(), index.appendNewBytes(), index.appendNewBytes()]);
      expect(results.reduce((sum, r) => sum + r.added, 0)).toBe(7);
      expect(index.count).toBe(8);
    });
  });

  it('indexes an empty file, then what a collection starts writing to it', async () => {
    const path = tempFile('empty.jsonl', '');
    const index = await RolloutIndex.open(path);
    expect(index.count).toBe(0);
    expect(index.pendingTail).toBeNull();
    appendFileSync(path, jsonlText(lines(2)));
    expect(await index.appendNewBytes()).toEqual({ added: 2, reset: false });
  });

  it('rejects reading an entry that does not exist', async () => {
    const index = await RolloutIndex.open(EXAMPLE);
    await expect(readRollout(index, 5)).rejects.toThrow(RangeError);
    await expect(readRollout(index, -1)).rejects.toThrow(RangeError);
  });
});
