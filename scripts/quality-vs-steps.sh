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

# Each setting's figures: "sampler steps distance floor ratio classes confidence seconds".
results=()
for setting in "${settings[@]}"; do
  read -r sampler steps <<<"$setting"
  files=()
  ms=0
  for ((part = 0; part < parts; part++)); do
    files+=("$cache/$sampler-$steps-part$part.npz")
    ms=$(( ms + $(cat "$cache/$sampler-$steps-part$part.ms") ))
  done
  json=$("$root/ddpm" eval --samples "$(IFS=,; echo "${files[*]}")" --dataset mnist 2>/dev/null)
  results+=("$sampler $steps $(field "$json" frechet_distance) $(field "$json" floor) $(field "$json" ratio) \
$(class_range "$json") $(field "$json" mean_confidence) $(( ms / 1000 ))")
  echo "${results[-1]}" >&2
done

# The first setting (ancestral over every step) is what the others are measured against.
read -r _ _ reference_distance _ _ _ _ reference_seconds <<<"${results[0]}"
{
  echo "# Quality versus steps"
  echo
  echo "Model \`$model\`, $count samples each with seed $seed, evaluated with \`./ddpm eval --dataset mnist\` (see the"
  echo "README for what each figure means). Steps are denoiser calls per image. \"× DDPM 1000\" divides a row's"
  echo "distance by that of ancestral sampling over all 1,000 steps (lower is better), and its wall time by"
  echo "that row's. Wall time is the sum of the \`./ddpm sample\` commands that drew the samples, in parts of at"
  echo "most $per_part images on this machine, JVM starts included. Regenerate with:"
  echo
  echo "    scripts/quality-vs-steps.sh $model $count $seed"
  echo
  echo "| sampler | steps | Fréchet distance | floor | ratio to floor | distance × DDPM 1000 | classes % | mean confidence | wall s | wall × DDPM 1000 |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for result in "${results[@]}"; do
    read -r sampler steps distance floor ratio classes confidence seconds <<<"$result"
    awk -v s="$sampler" -v k="$steps" -v d="$distance" -v f="$floor" -v r="$ratio" -v c="$classes" \
      -v m="$confidence" -v w="$seconds" -v rd="$reference_distance" -v rw="$reference_seconds" \
      'BEGIN { printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %.3f | %d | %.3f |\n", s, k, d, f, r, d / rd, c, m, w, w / rw }'
  done
  for result in "${results[@]}"; do
    read -r sampler steps distance _ _ _ _ seconds <<<"$result"
    if [ "$sampler $steps" = "ddim 50" ]; then
      echo
      awk -v d="$distance" -v w="$seconds" -v rd="$reference_distance" -v rw="$reference_seconds" \
        'BEGIN { printf "DDIM over 50 steps scores %.2f× the distance of ancestral sampling over 1,000 steps, with 20× fewer\ndenoiser calls, in 1/%.1f of its wall time.\n", d / rd, rw / w }'
    fi
  done
} > "$report"
echo "wrote $report" >&2
