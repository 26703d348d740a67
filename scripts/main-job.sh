#!/usr/bin/env bash
# The main job on a fresh machine: Node 24, dependencies, build, then collect verified rollouts on the example
# tasks. With NVIDIA_API_KEY set, the policy is openai/gpt-oss-120b on NVIDIA's endpoint; without it, the oracle
# agent replays each task's ground truth (no model, no key) so the whole pipeline still runs end to end.
# Arguments are passed on to ng_collect_rollouts (e.g. +limit=3, +workplace_assistant_data_dir=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
npm run build >/dev/null

mkdir -p outputs
tasks=examples/workplace_assistant/tasks.jsonl
# The tables: the ones shipped in data/workplace_assistant (NeMo Gym's, Apache-2.0), unless a NeMo Gym checkout
# or the user cache has them; to use others, add +workplace_assistant_data_dir=DIR to this script's arguments.

if [ -n "${NVIDIA_API_KEY:-}" ]; then
  echo "Collecting with openai/gpt-oss-120b on https://integrate.api.nvidia.com/v1 (key from NVIDIA_API_KEY)."
  node bin/ng_collect_rollouts.js "+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]" \
    +policy_base_url=https://integrate.api.nvidia.com/v1 '+policy_api_key=${oc.env:NVIDIA_API_KEY}' \
    +policy_model_name=openai/gpt-oss-120b +agent_name=workplace_assistant_simple_agent \
    +input_jsonl_fpath="$tasks" +output_jsonl_fpath=outputs/gpt-oss-120b_rollouts.jsonl \
    +num_samples_in_parallel=4 "$@"
  echo "Read them: node bin/ng_viewer.js outputs/gpt-oss-120b_rollouts.jsonl"
else
  echo "NVIDIA_API_KEY is not set: collecting with the oracle agent, which replays each task's ground truth"
  echo "(no model, no key; every well-formed task scores 1.0). Set NVIDIA_API_KEY to collect from gpt-oss-120b."
  node bin/ng_collect_rollouts.js "+config_paths=[configs/workplace_assistant.yaml]" \
    +agent_name=workplace_assistant_oracle_agent +input_jsonl_fpath="$tasks" \
    +output_jsonl_fpath=outputs/oracle_rollouts.jsonl "$@"
  echo "Read them: node bin/ng_viewer.js outputs/oracle_rollouts.jsonl"
fi
