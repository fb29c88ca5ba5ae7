#!/usr/bin/env bash
# Regenerates docs/quality-vs-steps.md: for each sampler setting, DRAWS independent draws of N samples of one
# MNIST model, their Fréchet distance (mean and range over the draws) and ratio to the real-data floor
# (./ddpm eval), and the wall time of the sampling runs.
# Usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED] [DRAWS]
#
# A draw is drawn in parts of at most 256 images, part p being the first images of seed S + p: the seeds the
# figures in docs/ and the model cards were drawn with. (One `ddpm sample --n N --seed S` draws other images,
# the first N of seed S.) Draw d starts at S = SEED + d × (parts per draw), so no two draws share an image and
# a one-draw table with seed S is draw 0 of this one. Parts are kept under runs/quality/ with the
# seconds each took. A run that is stopped loses at most the part in progress: running the script again
# reuses the finished parts, so the table (about an hour of sampling per draw on two CPU cores at N = 1000)
# can be built over several sittings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED] [DRAWS]}"
count="${2:-1000}"
seed="${3:-0}"
draws="${4:-1}"
if [[ "$model" != *:* ]]; then
  echo "give the model as NAME:VERSION, so that parts drawn in different sittings come from one version" >&2
  exit 2
fi
per_part=256
parts=$(( (count + per_part - 1) / per_part ))
report="$root/docs/quality-vs-steps.md"

settings=(
  "ancestral 1000"
  "ancestral 250"
  "ancestral 100"
  "ddim 1000"
  "ddim 100"
  "ddim 50"
  "ddim 20"
  "ddim 10"
  "dpm-solver++ 50"
  "dpm-solver++ 20"
  "dpm-solver++ 10"
)

# The first seed of draw $1.
draw_seed() { echo $(( seed + $1 * parts )); }
draw_cache() { echo "$root/runs/quality/${model/:/-}/n$count-seed$(draw_seed "$1")"; }

# Draws part $4 (images $5) of setting $2 $3 in draw $1 unless it is already there; the .npz appears only
# when complete.
draw_part() {
  local draw="$1" sampler="$2" steps="$3" part="$4" n="$5"
  local cache base start
  cache="$(draw_cache "$draw")"
  mkdir -p "$cache"
  base="$cache/$sampler-$steps-part$part"
  [ -f "$base.npz" ] && return 0
  start=$(date +%s%N)
  "$root/ddpm" sample --model "$model" --n "$n" --seed $(( $(draw_seed "$draw") + part )) --sampler "$sampler" \
    --steps "$steps" --eta 0 --out "$base.tmp" >/dev/null
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$base.ms"
  mv "$base.tmp.npz" "$base.npz"
  rm -f "$base.tmp.png"
}

# The number under key $2 of the one-line JSON object $1.
field() { sed -E "s/.*\"$2\":([0-9.eE+-]+).*/\\1/" <<<"$1"; }

# "LOWEST HIGHEST" of the class fractions in the JSON object $1.
class_bounds() {
  sed -E 's/.*"class_fractions":\[([^]]*)\].*/\1/' <<<"$1" | tr ',' '\n' \
    | awk 'NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 } END { print lo, hi }'
}

# Draw by draw, the cheapest settings first, so that a sitting cut short has finished whole rows.
for ((draw = 0; draw < draws; draw++)); do
  for ((i = ${#settings[@]} - 1; i >= 0; i--)); do
    read -r sampler steps <<<"${settings[i]}"
    for ((part = 0; part < parts; part++)); do
      n=$(( count - part * per_part < per_part ? count - part * per_part : per_part ))
      echo "draw $((draw + 1)) of $draws, $sampler $steps: part $((part + 1)) of $parts ($n images)" >&2
      draw_part "$draw" "$sampler" "$steps" "$part" "$n"
    done
  done
done

# One line per setting and draw: "setting-index draw distance floor lowest-class highest-class confidence ms".
figures=()
for ((i = 0; i < ${#settings[@]}; i++)); do
  read -r sampler steps <<<"${settings[i]}"
  for ((draw = 0; draw < draws; draw++)); do
    cache="$(draw_cache "$draw")"
    files=()
    ms=0
    for ((part = 0; part < parts; part++)); do
      files+=("$cache/$sampler-$steps-part$part.npz")
      ms=$(( ms + $(cat "$cache/$sampler-$steps-part$part.ms") ))
    done
    json=$("$root/ddpm" eval --samples "$(IFS=,; echo "${files[*]}")" --dataset mnist 2>/dev/null)
    figures+=("$i $draw $(field "$json" frechet_distance) $(field "$json" floor) $(class_bounds "$json") \
$(field "$json" mean_confidence) $ms")
    echo "$sampler $steps, draw $((draw + 1)): ${figures[-1]}" >&2
  done
done

seeds=$(for ((draw = 0; draw < draws; draw++)); do draw_seed "$draw"; done | paste -sd, | sed 's/,/, /g')
{
  echo "# Quality versus steps"
  echo
  if [ "$draws" -eq 1 ]; then
    echo "Model \`$model\`, one draw of $count samples (seed $seed), evaluated with \`./ddpm eval --dataset mnist\`"
  else
    echo "Model \`$model\`, $draws independent draws of $count samples (first seeds $seeds), each evaluated with \`./ddpm eval --dataset mnist\`"
  fi
  echo "(see the README for what each figure means). Steps are denoiser calls per image. The distance is the"
  echo "mean over the draws, and its range is the lowest and highest draw: the spread that a single draw's"
  echo "figure carries. \"× DDPM 1000\" divides a row's mean distance by that of ancestral sampling over all"
  echo "1,000 steps (lower is better), and its wall time by that row's. Wall time is the sum of the"
  echo "\`./ddpm sample\` commands that drew one draw, in parts of at most $per_part images on this machine, JVM"
  echo "starts included; of the draws, the fastest (the least disturbed by other work on the machine)."
  echo "Regenerate with:"
  echo
  echo "    scripts/quality-vs-steps.sh $model $count $seed $draws"
  echo
  printf '%s\n' "${figures[@]}" | awk -v settings="$(printf '%s\n' "${settings[@]}")" -v draws="$draws" '
    BEGIN { count = split(settings, setting, "\n") }
    # Row i over ancestral 1000: of the means, then, with several draws, draw by draw (the draws share their
    # x_T between rows).
    function ratio(i,   d, out) {
      out = sprintf("%.2f×", (sum[i] / draws) / reference)
      if (draws == 1) return out
      out = out " (draw by draw:"
      for (d = 0; d < draws; d++) out = out (d ? ", " : " ") sprintf("%.2f", distance[i, d] / distance[1, d])
      return out ")"
    }
    {
      i = $1 + 1; d = $2
      sum[i] += $3; floor_sum[i] += $4; confidence_sum[i] += $7
      distance[i, d] = $3
      if (d == 0 || $3 < lowest[i]) lowest[i] = $3
      if (d == 0 || $3 > highest[i]) highest[i] = $3
      if (d == 0 || $5 < class_low[i]) class_low[i] = $5
      if (d == 0 || $6 > class_high[i]) class_high[i] = $6
      if (d == 0 || $8 < ms[i]) ms[i] = $8
    }
    END {
      print "| sampler | steps | Fréchet distance | range over draws | floor | ratio to floor | distance × DDPM 1000 | classes % | mean confidence | wall s | wall × DDPM 1000 |"
      print "|---|---|---|---|---|---|---|---|---|---|---|"
      reference = sum[1] / draws
      for (i = 1; i <= count; i++) {
        split(setting[i], name, " ")
        mean = sum[i] / draws; floor = floor_sum[i] / draws
        printf "| %s | %s | %.2f | %.2f–%.2f | %.2f | %.2f | %.2f | %.1f–%.1f | %.3f | %d | %.3f |\n", \
          name[1], name[2], mean, lowest[i], highest[i], floor, mean / floor, mean / reference, \
          100 * class_low[i], 100 * class_high[i], confidence_sum[i] / draws, ms[i] / 1000, ms[i] / ms[1]
        row[setting[i]] = i
      }
      if (row["ddim 50"]) {
        printf "\nDDIM over 50 steps, with 20× fewer denoiser calls than ancestral sampling over 1,000 steps and"
        printf "\nin 1/%.1f of its wall time, scores %s its mean distance.\n", ms[1] / ms[row["ddim 50"]], \
          ratio(row["ddim 50"])
      }
      if (row["ddim 1000"]) {
        printf "\nDDIM over all 1,000 steps, whose deterministic path has next to no discretisation error left,"
        printf "\nscores %s: the part of the gap between the deterministic\n", ratio(row["ddim 1000"])
        printf "and the stochastic sampler that more steps do not close.\n"
      }
      if (row["dpm-solver++ 50"]) {
        printf "\nDPM-Solver++(2M) with the same 50 denoiser calls as DDIM-50, a second-order step along the same"
        printf "\ndeterministic path, scores %s.\n", ratio(row["dpm-solver++ 50"])
      }
    }'
} > "$report"
echo "wrote $report" >&2
