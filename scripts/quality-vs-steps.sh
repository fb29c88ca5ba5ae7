#!/usr/bin/env bash
# Regenerates docs/quality-vs-steps.md: for each sampler setting, N samples of one MNIST model, their
# Fréchet distance and ratio to the real-data floor (./ddpm eval), and the wall time of the sampling run.
# Usage: scripts/quality-vs-steps.sh [MODEL[:VERSION]] [N] [SEED]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-mnist}"
count="${2:-1000}"
seed="${3:-0}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
report="$root/docs/quality-vs-steps.md"

settings=(
  "ancestral 1000 0"
  "ancestral 250 0"
  "ancestral 100 0"
  "ddim 100 0"
  "ddim 50 0"
  "ddim 20 0"
  "ddim 10 0"
  "dpm-solver++ 20 0"
  "dpm-solver++ 10 0"
)

rows=()
for setting in "${settings[@]}"; do
  read -r sampler steps eta <<<"$setting"
  name="$sampler-$steps"
  start=$(date +%s%N)
  "$root/ddpm" sample --model "$model" --n "$count" --seed "$seed" --sampler "$sampler" --steps "$steps" \
    --eta "$eta" --out "$out/$name" >/dev/null 2>&1
  seconds=$(( ($(date +%s%N) - start) / 1000000000 ))
  json=$("$root/ddpm" eval --samples "$out/$name.npz" --dataset mnist 2>/dev/null)
  fd=$(echo "$json" | sed -E 's/.*"frechet_distance":([0-9.eE+-]+).*/\1/')
  floor=$(echo "$json" | sed -E 's/.*"floor":([0-9.eE+-]+).*/\1/')
  ratio=$(echo "$json" | sed -E 's/.*"ratio":([0-9.eE+-]+).*/\1/')
  conf=$(echo "$json" | sed -E 's/.*"mean_confidence":([0-9.eE+-]+).*/\1/')
  rows+=("$(printf '| %s | %s | %.2f | %.2f | %.2f | %.3f | %d |' "$sampler" "$steps" "$fd" "$floor" "$ratio" "$conf" "$seconds")")
  echo "${rows[-1]}" >&2
done

{
  echo "# Quality versus steps"
  echo
  echo "Model \`$model\`, $count samples each with seed $seed, evaluated with \`./ddpm eval --dataset mnist\` (see the"
  echo "README for what each figure means). Wall time is the whole \`./ddpm sample\` command on this machine, JVM start"
  echo "included. Regenerate with:"
  echo
  echo "    scripts/quality-vs-steps.sh $model $count $seed"
  echo
  echo "| sampler | steps | Fréchet distance | floor | ratio | mean confidence | wall s |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$report"
echo "wrote $report" >&2
