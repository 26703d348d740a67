/**
 * One shard of a collection run as many jobs (`+num_shards=N +shard_index=I`): the tasks whose index is I modulo N,
 * every repeat of a task with it, so each shard is a deterministic, disjoint part of the run. Each shard writes its
 * own files and resumes on its own; `gym eval aggregate` merges them. A shard's materialized inputs hold only its
 * rows, so it also writes `<stem>_shard.json`: which shard it is and the digest of the whole run's materialized
 * rows, which is how aggregate tells shards of different inputs (or options) apart although they share no task.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export interface ShardSelection {
  numShards: number;
  shardIndex: number;
}

/** What `<stem>_shard.json` holds. */
export interface ShardManifest {
  kind: 'gym-rollouts-shard';
  num_shards: number;
  shard_index: number;
  /** SHA-256 of every materialized row of the whole run (all shards), one JSON line each, in order. */
  input_digest: string;
  /** Tasks and rollouts of the whole run, and of this shard. */
  total_tasks: number;
  total_rollouts: number;
  shard_tasks: number;
  shard_rollouts: number;
}

export class ShardSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardSelectionError';
  }
}

/** Checks a shard selection; null when the run is not sharded (no `num_shards`, or 1 shard). */
export function shardSelection(numShards: number | null | undefined, shardIndex: number | null | undefined): ShardSelection | null {
  if (numShards === undefined || numShards === null) {
    if (shardIndex !== undefined && shardIndex !== null && shardIndex !== 0) {
      throw new ShardSelectionError(`shard_index=${shardIndex} needs num_shards (--num-shards N / +num_shards=N).`);
    }
    return null;
  }
  if (!Number.isInteger(numShards) || numShards < 1) throw new ShardSelectionError(`num_shards must be a whole number of at least 1, not ${numShards}.`);
  const index = shardIndex ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= numShards) {
    throw new ShardSelectionError(`shard_index=${index} is out of range: with num_shards=${numShards} it must be 0 to ${numShards - 1} (--shard-index / +shard_index).`);
  }
  return numShards === 1 ? null : { numShards, shardIndex: index };
}

export function inShard(taskIndex: number, selection: ShardSelection | null): boolean {
  return selection === null || taskIndex % selection.numShards === selection.shardIndex;
}

/** Digest of the whole run's materialized rows (what a single run would have written to its materialized inputs). */
export function inputDigest(rows: readonly object[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${JSON.stringify(row)}\n`);
  return hash.digest('hex');
}

export function shardManifest(selection: ShardSelection, allRows: readonly { _ng_task_index: number }[], digest: string): ShardManifest {
  const tasks = new Set(allRows.map((row) => row._ng_task_index));
  const mine = allRows.filter((row) => inShard(row._ng_task_index, selection));
  return {
    kind: 'gym-rollouts-shard',
    num_shards: selection.numShards,
    shard_index: selection.shardIndex,
    input_digest: digest,
    total_tasks: tasks.size,
    total_rollouts: allRows.length,
    shard_tasks: new Set(mine.map((row) => row._ng_task_index)).size,
    shard_rollouts: mine.length,
  };
}

export async function writeShardManifest(path: string, manifest: ShardManifest): Promise<void> {
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest at `path`, null when there is none; a file that is not one is an error naming it. */
export function readShardManifest(path: string): ShardManifest | null {
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ShardSelectionError(`${path} is not a shard manifest: ${(error as Error).message}.`);
  }
  const manifest = value as Partial<ShardManifest> | null;
  if (
    typeof manifest !== 'object' || manifest === null || manifest.kind !== 'gym-rollouts-shard' ||
    !Number.isInteger(manifest.num_shards) || !Number.isInteger(manifest.shard_index) || typeof manifest.input_digest !== 'string'
  ) {
    throw new ShardSelectionError(`${path} is not a shard manifest (kind, num_shards, shard_index, input_digest).`);
  }
  return manifest as ShardManifest;
}
