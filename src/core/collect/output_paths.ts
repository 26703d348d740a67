import { basename, dirname, extname, join } from 'node:path';

export interface OutputPaths {
  output: string;
  materializedInputs: string;
  aggregateMetrics: string;
  failures: string;
  /** `<stem>_shard.json`: which shard of a run this output is (see shard_spec.ts). */
  shard: string;
  /** `<stem>.lock`: held while a collection writes these files (see output_lock.ts). */
  lock: string;
}

/** Sidecar files are named from the output's stem (NEMO_GYM_PROTOCOL.md §5.8). */
export function outputPaths(outputJsonlPath: string): OutputPaths {
  const extension = extname(outputJsonlPath);
  const stem = join(dirname(outputJsonlPath), basename(outputJsonlPath, extension));
  return {
    output: outputJsonlPath,
    materializedInputs: `${stem}_materialized_inputs.jsonl`,
    aggregateMetrics: `${stem}_aggregate_metrics.json`,
    failures: `${stem}_failures.jsonl`,
    shard: `${stem}_shard.json`,
    // By the stem, like the sidecars: outputs that share sidecars (r.jsonl, r.txt) share the lock.
    lock: `${stem}.lock` === outputJsonlPath ? `${outputJsonlPath}.lock` : `${stem}.lock`,
  };
}
