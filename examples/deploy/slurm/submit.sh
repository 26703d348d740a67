#!/bin/bash
# Queues the shards as a job array, then the aggregate step once they have all succeeded.
#   SHARDS=8 bash examples/deploy/slurm/submit.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARDS=${SHARDS:-4}
mkdir -p logs
array=$(sbatch --parsable --array=0-$((SHARDS - 1)) "$HERE/collect.sbatch")
sbatch --dependency=afterok:"$array" "$HERE/aggregate.sbatch"
