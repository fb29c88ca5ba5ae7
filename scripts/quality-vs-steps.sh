#!/usr/bin/env bash
# Regenerates docs/quality-vs-steps.md: for each sampler setting, DRAWS independent draws of N samples of one
# MNIST model, their Fréchet distance (mean and range over the draws) and ratio to the real-data floor
# (./ddpm eval), and the wall time of the sampling runs.
# Usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED] [DRAWS] [ROW...]
#
# A ROW is one of the settings below, e.g. "heun 25" or "dpm-solver++ 20 --spacing karras". Every row is drawn
# in fp32 with TensorFlow's own GroupNorm ops (`--precision fp32 --group-norm stock`, the same figures on every
# machine) unless it names a precision or a GroupNorm kernel ("ddim 50 --precision bf16"). Given ROWs, only those
# are drawn and evaluated: their rows replace or join the table already in the report, which must be of the same
# model, N, seed and draws, and every other row, the text around the table and the "× DDPM 1000" reference (read
# from the report's ancestral 1000 row unless it is one of the ROWs) stay as they are. A note under the table
# gives the command. Without ROWs every setting is drawn and the whole report is written anew.
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
model="${1:?usage: scripts/quality-vs-steps.sh MODEL:VERSION [N] [SEED] [DRAWS] [ROW...]}"
count="${2:-1000}"
seed="${3:-0}"
draws="${4:-1}"
shift $(( $# < 4 ? $# : 4 ))
rows=("$@")
if [[ "$model" != *:* ]]; then
  echo "give the model as NAME:VERSION, so that parts drawn in different sittings come from one version" >&2
  exit 2
fi
per_part=256
parts=$(( (count + per_part - 1) / per_part ))
report="${QUALITY_REPORT:-$root/docs/quality-vs-steps.md}"

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
  "euler 50"
  "heun 25"
  "euler-a 50"
  "dpm-solver++ 20 --spacing karras"
  "ancestral 500 --corrector-steps 1"
  "ddim 50 --precision bf16"
  "ancestral 250 --precision bf16"
)

# Setting $1's name in the table: the sampler, with its spacing, corrector and (when calls differ) steps.
row_label() {
  local sampler steps flags label
  read -r sampler steps flags <<<"$1"
  label="$sampler"
  [[ "$flags" =~ --spacing\ ([a-z]+) ]] && label="$label, ${BASH_REMATCH[1]} spacing"
  [[ "$flags" =~ --corrector-steps\ ([0-9]+) ]] && label="$label + ${BASH_REMATCH[1]} corrector"
  [[ "$flags" =~ --precision\ ([a-z0-9]+) ]] && label="$label, ${BASH_REMATCH[1]}"
  [ "$(row_calls "$1")" != "$steps" ] && label="$label ($steps steps)"
  echo "$label"
}

# Setting $1's denoiser calls per image: K steps, 2K − 1 for Heun, M(K − 1) more with M corrector steps.
row_calls() {
  local sampler steps flags calls=0 corrector=0
  read -r sampler steps flags <<<"$1"
  calls=$steps
  [ "$sampler" = heun ] && calls=$(( 2 * steps - 1 ))
  [[ "$flags" =~ --corrector-steps\ ([0-9]+) ]] && corrector="${BASH_REMATCH[1]}"
  echo $(( calls + corrector * (steps - 1) ))
}

# The cache name of setting $1: SAMPLER-STEPS, then its flags without dashes ("dpm-solver++-20-spacing-karras").
row_file() {
  local sampler steps flags
  read -r sampler steps flags <<<"$1"
  flags="${flags//--/}"
  echo "$sampler-$steps${flags:+-${flags// /-}}"
}

# The settings to draw: the ROWs given, each one of the settings, or every setting.
selected=()
if [ ${#rows[@]} -eq 0 ]; then
  selected=("${!settings[@]}")
else
  for row in "${rows[@]}"; do
    found=
    for i in "${!settings[@]}"; do
      [ "${settings[i]}" = "$row" ] && found=$i
    done
    if [ -z "$found" ]; then
      echo "no setting \"$row\"; the settings are:" >&2
      printf '  %s\n' "${settings[@]}" >&2
      exit 2
    fi
    selected+=("$found")
  done
fi
if [ ${#rows[@]} -gt 0 ]; then
  if [ "$draws" -eq 1 ]; then
    expected="Model \`$model\`, one draw of $count samples (seed $seed)"
  else
    expected="Model \`$model\`, $draws independent draws of $count samples (first seeds $seed,"
  fi
  if ! grep -qF "$expected" "$report"; then
    echo "$report is not a table of $model, $count samples, seed $seed, $draws draw(s): run without ROWs" >&2
    exit 2
  fi
fi

# The first seed of draw $1.
draw_seed() { echo $(( seed + $1 * parts )); }
draw_cache() { echo "$root/runs/quality/${model/:/-}/n$count-seed$(draw_seed "$1")"; }

# Draws part $3 (images $4) of setting $2 in draw $1 unless it is already there; the .npz appears only
# when complete.
draw_part() {
  local draw="$1" setting="$2" part="$3" n="$4"
  local cache base start sampler steps flags
  read -r sampler steps flags <<<"$setting"
  cache="$(draw_cache "$draw")"
  mkdir -p "$cache"
  base="$cache/$(row_file "$setting")-part$part"
  [ -f "$base.npz" ] && return 0
  [[ "$flags" == *--precision* ]] || flags="$flags --precision fp32"
  [[ "$flags" == *--group-norm* ]] || flags="$flags --group-norm stock"
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # the flags are words
  "$root/ddpm" sample --model "$model" --n "$n" --seed $(( $(draw_seed "$draw") + part )) --sampler "$sampler" \
    --steps "$steps" --eta 0 $flags --out "$base.tmp" >/dev/null
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
  for ((j = ${#selected[@]} - 1; j >= 0; j--)); do
    setting="${settings[selected[j]]}"
    for ((part = 0; part < parts; part++)); do
      n=$(( count - part * per_part < per_part ? count - part * per_part : per_part ))
      echo "draw $((draw + 1)) of $draws, $setting: part $((part + 1)) of $parts ($n images)" >&2
      draw_part "$draw" "$setting" "$part" "$n"
    done
  done
done

# One line per setting and draw: "setting-index draw distance floor lowest-class highest-class confidence ms".
figures=()
for i in "${selected[@]}"; do
  for ((draw = 0; draw < draws; draw++)); do
    cache="$(draw_cache "$draw")"
    files=()
    ms=0
    for ((part = 0; part < parts; part++)); do
      files+=("$cache/$(row_file "${settings[i]}")-part$part.npz")
      ms=$(( ms + $(cat "$cache/$(row_file "${settings[i]}")-part$part.ms") ))
    done
    json=$("$root/ddpm" eval --samples "$(IFS=,; echo "${files[*]}")" --dataset mnist 2>/dev/null)
    figures+=("$i $draw $(field "$json" frechet_distance) $(field "$json" floor) $(class_bounds "$json") \
$(field "$json" mean_confidence) $ms")
    echo "${settings[i]}, draw $((draw + 1)): ${figures[-1]}" >&2
  done
done

# "LABEL|CALLS" of every setting, for the table; the rows of the report's table now, kept in partial runs.
names=$(for setting in "${settings[@]}"; do echo "$(row_label "$setting")|$(row_calls "$setting")"; done)
old_rows=
if [ ${#rows[@]} -gt 0 ]; then
  old_rows=$(grep '^| ' "$report" | grep -v '^| sampler |' || true)
fi

seeds=$(for ((draw = 0; draw < draws; draw++)); do draw_seed "$draw"; done | paste -sd, | sed 's/,/, /g')

# The table's rows in the order of the settings (the drawn ones new, the others as the report has them), then,
# for a whole report, the paragraphs that compare rows.
table() {
  printf '%s\n' "${figures[@]}" | awk -v names="$names" -v draws="$draws" -v old_rows="$old_rows" \
    -v whole="$([ ${#rows[@]} -eq 0 ] && echo 1 || echo 0)" '
    BEGIN {
      count = split(names, name, "\n")
      for (i = 1; i <= count; i++) { split(name[i], part, "|"); label[i] = part[1]; calls[i] = part[2] }
      # The report rows by "label|steps", and the reference of a partial run: its ancestral 1000 row.
      n = split(old_rows, line, "\n")
      for (j = 1; j <= n; j++) {
        split(line[j], cell, "|")
        key = trim(cell[2]) "|" trim(cell[3])
        old[key] = line[j]
        if (key == "ancestral|1000") { old_reference = cell[4] + 0; old_ms = 1000 * cell[11] }
      }
    }
    function trim(text) { gsub(/^ +| +$/, "", text); return text }
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
      drawn[i] = 1
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
      reference = drawn[1] ? sum[1] / draws : old_reference
      reference_ms = drawn[1] ? ms[1] : old_ms
      for (i = 1; i <= count; i++) {
        if (!drawn[i]) {
          if ((label[i] "|" calls[i]) in old) print old[label[i] "|" calls[i]]
          continue
        }
        mean = sum[i] / draws; floor = floor_sum[i] / draws
        printf "| %s | %s | %.2f | %.2f–%.2f | %.2f | %.2f | %.2f | %.1f–%.1f | %.3f | %d | %.3f |\n", \
          label[i], calls[i], mean, lowest[i], highest[i], floor, mean / floor, mean / reference, \
          100 * class_low[i], 100 * class_high[i], confidence_sum[i] / draws, ms[i] / 1000, ms[i] / reference_ms
        row[label[i] " " calls[i]] = i
      }
      if (!whole) exit
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
      if (row["heun (25 steps) 49"] && row["euler 50"]) {
        printf "\nHeun over 25 steps (49 denoiser calls) scores %s, Euler over 50 (the same path as", \
          ratio(row["heun (25 steps) 49"])
        printf "\nDDIM-50 in other variables) %s.\n", ratio(row["euler 50"])
      }
    }'
}

# A partial run's note under the table: the command that drew its rows.
partial_note="Rows drawn without redrawing the others"
if [ ${#rows[@]} -eq 0 ]; then
  {
    echo "# Quality versus steps"
    echo
    if [ "$draws" -eq 1 ]; then
      echo "Model \`$model\`, one draw of $count samples (seed $seed), evaluated with \`./ddpm eval --dataset mnist\`"
    else
      echo "Model \`$model\`, $draws independent draws of $count samples (first seeds $seeds), each evaluated with \`./ddpm eval --dataset mnist\`"
    fi
    echo "(see the README for what each figure means). Steps are denoiser calls per image: Heun over K steps makes"
    echo "2K − 1, and M corrector steps add M(K − 1) (docs/math.md §12). The distance is the"
    echo "mean over the draws, and its range is the lowest and highest draw: the spread that a single draw's"
    echo "figure carries. \"× DDPM 1000\" divides a row's mean distance by that of ancestral sampling over all"
    echo "1,000 steps (lower is better), and its wall time by that row's. Wall time is the sum of the"
    echo "\`./ddpm sample\` commands that drew one draw, in parts of at most $per_part images on this machine, JVM"
    echo "starts included; of the draws, the fastest (the least disturbed by other work on the machine)."
    echo "Regenerate with:"
    echo
    echo "    scripts/quality-vs-steps.sh $model $count $seed $draws"
    echo
    table
  } > "$report.tmp"
else
  quoted=$(printf " '%s'" "${rows[@]}")
  {
    sed -n '/^| sampler |/q;p' "$report"
    table
    # The text after the table, less an earlier note and the blank lines that end it.
    awk -v note="$partial_note" '/^\| sampler \|/ { table = 1; next } table && !after && /^\|/ { next }
      table { after = 1 } after && index($0, note) == 1 { exit } after { text[++n] = $0 }
      END { while (n > 0 && text[n] == "") n--; for (i = 1; i <= n; i++) print text[i] }' "$report"
    echo
    echo "$partial_note (the ratios divide by the ancestral 1000 row above):"
    echo
    echo "    scripts/quality-vs-steps.sh $model $count $seed $draws$quoted"
  } > "$report.tmp"
fi
mv "$report.tmp" "$report"
echo "wrote $report" >&2
