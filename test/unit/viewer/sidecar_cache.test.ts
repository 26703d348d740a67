import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SidecarCache } from '../../../src/core/viewer/sidecar_cache';
import { readFailureSummary } from '../../../src/core/viewer/sidecars';
import { makeTempDir } from '../../support/rollout_fixtures';

const failure = (task: number) => JSON.stringify({ _ng_task_index: task, _ng_rollout_index: 0, _ng_failure_class: 'model_error', _ng_failure_message: 'HTTP 500', _ng_failure_terminal: false });

describe('SidecarCache', () => {
  it('reads a sidecar once per version, shared by concurrent requests, and again when it changes or goes', async () => {
    const path = join(makeTempDir(), 'run_failures.jsonl');
    writeFileSync(path, `${failure(0)}\n`);
    let reads = 0;
    const cache = new SidecarCache(async (file: string) => {
      reads += 1;
      return readFailureSummary(file);
    });
    const [a, b] = await Promise.all([cache.get(path), cache.get(path)]);
    expect(a?.total).toBe(1);
    expect(b).toBe(a);
    expect((await cache.get(path))?.total).toBe(1);
    expect(reads).toBe(1);
    appendFileSync(path, `${failure(1)}\n`);
    expect((await cache.get(path))?.total).toBe(2);
    expect(reads).toBe(2);
    rmSync(path);
    expect(await cache.get(path)).toBeNull();
    expect(reads).toBe(3);
  });
});
