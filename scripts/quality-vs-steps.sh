#!/usr/bin/env bash
# Regenerates docs/quality-vs-steps.md: for each sampler setting, N samples of one MNIST model, their
# Fréchet distance and ratio to the real-data floor (./ddpm eval), and the wall time of the sampling runs.
# Usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED]
#
# Each setting is drawn in parts of at most 256 images (seeds SEED, SEED+1, …: together the same images as one
# `ddpm sample --n N --seed SEED`), kept under runs/quality/ with the seconds each took. A run that is stopped
# loses at most the part in progress: running the script again reuses the finished parts, so the full table
# (about 2.5 h of sampling on two CPU cores at N = 1000) can be built over several sittings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED]}"
count="${2:-1000}"
seed="${3:-0}"
if [[ "$model" != *:* ]]; then
  echo "give the model as NAME:VERSION, so that parts drawn in different sittings come from one version" >&2
  exit 2
fi
per_part=256
cache="$root/runs/quality/${model/:/-}/n$count-seed$seed"
mkdir -p "$cache"
report="$root/docs/quality-vs-steps.md"

settings=(
  "ancestral 1000"
  "ancestral 250"
  "ancestral 100"
  "ddim 100"
  "ddim 50"
  "ddim 20"
  "ddim 10"
  "dpm-solver++ 20"
  "dpm-solver++ 10"
)

# Draws part $3 (images $4) of setting $1 $2 unless it is already there; the .npz appears only when complete.
draw_part() {
  local sampler="$1" steps="$2" part="$3" n="$4"
  local base="$cache/$sampler-$steps-part$part"
  [ -f "$base.npz" ] && return 0
  local start
  start=$(date +%s%N)
  "$root/ddpm" sample --model "$model" --n "$n" --seed $((seed + part)) --sampler "$sampler" --steps "$steps" \
    --eta 0 --out "$base.tmp" >/dev/null
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$base.ms"
  mv "$base.tmp.npz" "$base.npz"
  rm -f "$base.tmp.png"
}

# The number under key $2 of the one-line JSON object $1.
field() { sed -E "s/.*\"$2\":([0-9.eE+-]+).*/\\1/" <<<"$1"; }

# "MIN–MAX" of the class fractions in the JSON object $1, as percentages.
class_range() {
  sed -E 's/.*"class_fractions":\[([^]]*)\].*/\1/' <<<"$1" | tr ',' '\n' \
    | awk 'NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 } END { printf "%.1f–%.1f", 100 * lo, 100 * hi }'
}

parts=$(( (count + per_part - 1) / per_part ))
# The cheapest settings first, so that a sitting cut short has finished whole rows.
for ((i = ${#settings[@]} - 1; i >= 0; i--)); do
  read -r sampler steps <<<"${settings[i]}"
  for ((part = 0; part < parts; part++)); do
    n=$(( count - part * per_part < per_part ? count - part * per_part : per_part ))
    echo "$sampler $steps: part $((part + 1)) of $parts ($n images)" >&2
    draw_part "$sampler" "$steps" "$part" "$n"
  done
done

rows=()
for setting in "${settings[@]}"; do
  read -r sampler steps <<<"$setting"
  files=()
  ms=0
  for ((part = 0; part < parts; part++)); do
    files+=("$cache/$sampler-$steps-part$part.npz")
    ms=$(( ms + $(cat "$cache/$sampler-$steps-part$part.ms") ))
  done
  json=$("$root/ddpm" eval --samples "$(IFS=,; echo "${files[*]}")" --dataset mnist 2>/dev/null)
  rows+=("$(printf '| %s | %s | %.2f | %.2f | %.2f | %s | %.3f | %d |' "$sampler" "$steps" \
    "$(field "$json" frechet_distance)" "$(field "$json" floor)" "$(field "$json" ratio)" "$(class_range "$json")" \
    "$(field "$json" mean_confidence)" $(( ms / 1000 )))")
  echo "${rows[-1]}" >&2
done

{
  echo "# Quality versus steps"
  echo
  echo "Model \`$model\`, $count samples each with seed $seed, evaluated with \`./ddpm eval --dataset mnist\` (see the"
  echo "README for what each figure means). Wall time is the sum of the \`./ddpm sample\` commands that drew the"
  echo "samples, in parts of at most $per_part images on this machine, JVM starts included. Regenerate with:"
  echo
  echo "    scripts/quality-vs-steps.sh $model $count $seed"
  echo
  echo "| sampler | steps | Fréchet distance | floor | ratio | classes % | mean confidence | wall s |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$report"
echo "wrote $report" >&2
