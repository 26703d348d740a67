import { basename, dirname, extname, join } from 'node:path';

export interface OutputPaths {
  output: string;
  materializedInputs: string;
  aggregateMetrics: string;
  failures: string;
  /** `<stem>_shard.json`: which shard of a run this output is (see shard_spec.ts). */
  shard: string;
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
  };
}
