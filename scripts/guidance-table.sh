#!/usr/bin/env bash
# Regenerates docs/guidance.md: for each classifier-free guidance scale w, PER_CLASS samples of every class of a
# class-conditional MNIST model, their requested-class accuracy and confidence (the shipped classifier's) and
# their Fréchet distance (./ddpm eval), beside the unconditional model REFERENCE drawn with the same sampler and
# seeds; then one grid of every class at w = 0 and at the recommended setting.
# Usage: scripts/guidance-table.sh MODEL:VERSION [PER_CLASS] [SEED] [REFERENCE] [RECOMMENDED] [SETTING...]
#   defaults: PER_CLASS 100, SEED 0, REFERENCE mnist:4, RECOMMENDED 1
# A setting is a scale W, guiding every step, or W@MIN,MAX, guiding only the steps at timesteps MIN..MAX
# (--guidance-interval). RECOMMENDED may be either; each further SETTING adds a row.
#
# Every row draws DDIM over 50 steps (η = 0) in fp32 with TensorFlow's own GroupNorm ops (the same figures on every
# machine) in parts of 25 images
# per class, part p with seed SEED + p, so the rows share their x_T and differ by w alone. Parts are kept under
# runs/guidance/ with the seconds each took; a run that is stopped loses at most the part in progress. Needs python3 to read ./ddpm eval's JSON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: scripts/guidance-table.sh MODEL:VERSION [PER_CLASS] [SEED] [REFERENCE] [RECOMMENDED] [SETTING...]}"
per_class="${2:-100}"
seed="${3:-0}"
reference="${4:-mnist:4}"
recommended="${5:-1}"
extra=("${@:6}")
scales=(0 0.5 1 2 4)
# A scale given (every step) gets a row of its own when it is not one of the table's.
for setting in "$recommended" "${extra[@]}"; do
  if [[ "$setting" != *@* && " ${scales[*]} " != *" $setting "* ]]; then
    mapfile -t scales < <(printf '%s\n' "${scales[@]}" "$setting" | sort -g)
  fi
done
classes=10
per_part=25
sampler=ddim
steps=50
if [[ "$model" != *:* || "$reference" != *:* ]]; then
  echo "give the models as NAME:VERSION, so that parts drawn in different sittings come from one version" >&2
  exit 2
fi
if (( per_class % per_part != 0 )); then
  echo "PER_CLASS must be a multiple of $per_part" >&2
  exit 2
fi
parts=$(( per_class / per_part ))
cache="$root/runs/guidance/${model/:/-}/n$per_class-seed$seed"
# The reference's parts depend on the reference, the sizes and the seed alone: every conditional model's table
# shares them.
reference_cache="$root/runs/guidance/${reference/:/-}/n$per_class-seed$seed"
report="$root/docs/guidance.md"
mkdir -p "$cache" "$reference_cache"

# Where part $2 of row $1 is kept, without its extension.
part_base() {
  if [ "$1" = reference ]; then echo "$reference_cache/reference-part$2"; else echo "$cache/$1-part$2"; fi
}

# The guidance options of a row named wW (every step) or wW@MIN-MAX (timesteps MIN..MAX only).
guidance_options() {
  local row="${1#w}"
  if [[ "$row" == *@* ]]; then
    local range="${row#*@}"
    echo "--guidance ${row%@*} --guidance-interval ${range/-/,}"
  else
    echo "--guidance $row"
  fi
}

# Draws part $2 of row $1 ("w" for a guidance scale of the model, "reference" for the unconditional model)
# unless it is there; the .npz appears only when complete.
draw_part() {
  local row="$1" part="$2" base start
  base="$(part_base "$row" "$part")"
  [ -f "$base.npz" ] && return 0
  start=$(date +%s%N)
  if [ "$row" = reference ]; then
    "$root/ddpm" sample --precision fp32 --group-norm stock --model "$reference" --n $(( per_part * classes )) --seed $(( seed + part )) \
      --sampler "$sampler" --steps "$steps" --eta 0 --out "$base.tmp" >/dev/null
  else
    "$root/ddpm" sample --precision fp32 --group-norm stock --model "$model" --per-class "$per_part" $(guidance_options "$row") \
      --seed $(( seed + part )) --sampler "$sampler" --steps "$steps" --eta 0 --out "$base.tmp" >/dev/null
  fi
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$base.ms"
  mv "$base.tmp.npz" "$base.npz"
  rm -f "$base.tmp.png"
}

rows=(reference)
for w in "${scales[@]}"; do rows+=("w$w"); done
# Rows of settings within an interval are named wW@MIN-MAX.
chosen_row="w${recommended/,/-}"
for setting in "${extra[@]}" "$recommended"; do
  row="w${setting/,/-}"
  if [[ "$setting" == *@* && " ${rows[*]} " != *" $row "* ]]; then rows+=("$row"); fi
done
for row in "${rows[@]}"; do
  for ((part = 0; part < parts; part++)); do
    echo "$row: part $((part + 1)) of $parts" >&2
    draw_part "$row" "$part"
  done
done

# One JSON line per row: ./ddpm eval's report with the row's name and wall time added.
figures=()
for row in "${rows[@]}"; do
  files=()
  ms=0
  for ((part = 0; part < parts; part++)); do
    files+=("$(part_base "$row" "$part").npz")
    ms=$(( ms + $(cat "$(part_base "$row" "$part").ms") ))
  done
  json=$("$root/ddpm" eval --samples "$(IFS=,; echo "${files[*]}")" --dataset mnist 2>/dev/null)
  figures+=("$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); r["row"] = sys.argv[2]; r["ms"] = int(sys.argv[3]); print(json.dumps(r))' "$json" "$row" "$ms")")
  echo "$row: ${figures[-1]}" >&2
done

# The grid of row $1 (every class, 8 each) as docs/guidance-$1.png, with wW@MIN-MAX written wW-tMIN-MAX.
grid() {
  local name="${1/@/-t}"
  [ -f "$cache/grid-$name.png" ] || "$root/ddpm" sample --precision fp32 --group-norm stock --model "$model" --per-class 8 \
    $(guidance_options "$1") --seed "$seed" --sampler "$sampler" --steps "$steps" --eta 0 --out "$cache/grid-$name" >/dev/null
  cp "$cache/grid-$name.png" "$root/docs/guidance-$name.png"
}
grid w0
grid "$chosen_row"

printf '%s\n' "${figures[@]}" > "$cache/figures.jsonl"
python3 - "$model" "$reference" "$per_class" "$seed" "$chosen_row" "$cache/figures.jsonl" "$*" \
  > "$report" <<'PY'
import json, sys
model, reference, per_class, seed, chosen_row, figures, arguments = sys.argv[1:8]
rows = [json.loads(line) for line in open(figures)]
ref = rows[0]
n = int(per_class) * 10
def setting(row):
    """How a row guides: "w" alone, or "w, t ∈ [MIN, MAX]" for a row guided within an interval."""
    w, _, timesteps = row[1:].partition("@")
    return f"{w}, t ∈ [{timesteps.replace('-', ', ')}]" if timesteps else w
def image(row):
    return f"guidance-{row.replace('@', '-t')}.png"
print("# Classifier-free guidance")
print()
print(f"Model `{model}`, {per_class} samples of each class (n = {n}, seeds {seed} and on, in parts of 25 per")
print("class), DDIM over 50 steps (η = 0), each step ε = (1 + w)·ε(x_t, y) − w·ε(x_t, ∅) (docs/math.md §11). Accuracy")
print("is the share of samples that the shipped MNIST classifier assigns to the class they were asked for; confidence")
print("is its mean probability of that class; the Fréchet distance is in its feature space against the MNIST test")
print(f"set, beside the floor two real-data draws of the same size reach. The first row is the unconditional `{reference}`")
print("drawn with the same sampler and seeds (no class asked for, so no accuracy). Wall time is the sum of the")
print("`./ddpm sample` commands, JVM starts included; a guided step makes one denoiser call of twice the images.")
print("Each row's wall time is from the sitting that drew it: rows drawn beside other work on the machine read slower.")
if any("@" in r["row"] for r in rows):
    print("A row `w, t ∈ [MIN, MAX]` guides only the steps at those timesteps (`--guidance-interval MIN,MAX`,")
    print("Kynkäänniemi et al. 2024); its other steps use ε(x_t, y) alone.")
print("Regenerate with:")
print()
print(f"    scripts/guidance-table.sh {arguments}")
print()
print("| w | requested-class accuracy | lowest class | Fréchet distance | × unconditional | floor | mean confidence | wall s |")
print("|---|---|---|---|---|---|---|---|")
def fmt_row(r):
    fd = r["frechet_distance"]
    ratio = fd / ref["frechet_distance"]
    if r["row"] == "reference":
        return f"| `{reference}` (unconditional) | – | – | {fd:.2f} | 1.00 | {r['floor']:.2f} | {r['mean_confidence']:.3f} | {r['ms'] / 1000:.0f} |"
    acc = r["requested_class_accuracy"]
    conf = r["requested_class_confidence"]
    lowest = min(acc["per_class"].items(), key=lambda kv: kv[1])
    return (f"| {setting(r['row'])} | {100 * acc['overall']:.1f} % | {100 * lowest[1]:.1f} % (class {lowest[0]}) | {fd:.2f} | {ratio:.2f} "
            f"| {r['floor']:.2f} | {conf['overall']:.3f} | {r['ms'] / 1000:.0f} |")
for r in rows:
    print(fmt_row(r))
by_row = {r["row"]: r for r in rows[1:]}
def verdict(ok):
    return "met" if ok else "missed"
plain, chosen = by_row["w0"], by_row[chosen_row]
plain_acc = plain["requested_class_accuracy"]["overall"]
plain_ratio = plain["frechet_distance"] / ref["frechet_distance"]
chosen_acc = chosen["requested_class_accuracy"]["overall"]
print()
print(f"Without guidance (w = 0) the model draws the requested class {100 * plain_acc:.1f} % of the time (bar: at least")
print(f"97 %, {verdict(plain_acc >= 0.97)}) at {plain_ratio:.2f}× the unconditional model's Fréchet distance (bar: at most")
print(f"1.2×, {verdict(plain_ratio <= 1.2)}). The recommended setting is w = {setting(chosen_row)}: {100 * chosen_acc:.1f} % (bar: at least 99.5 %,")
print(f"{verdict(chosen_acc >= 0.995)}) at a Fréchet distance of {chosen['frechet_distance']:.2f} against the unconditional model's")
print(f"{ref['frechet_distance']:.2f} with the same sampler and seeds (bar: no worse, {verdict(chosen['frechet_distance'] <= ref['frechet_distance'])}).")
print("Guidance trades diversity for fidelity: each step of w raises the confidence and moves the samples away from")
print("the data's spread, which the Fréchet distance counts against them.")
print()
print("Per class, requested-class accuracy in %:")
print()
print("| w | " + " | ".join(str(k) for k in range(10)) + " |")
print("|---|" + "---|" * 10)
for r in rows[1:]:
    per = r["requested_class_accuracy"]["per_class"]
    print(f"| {setting(r['row'])} | " + " | ".join(f"{100 * per[str(k)]:.0f}" for k in range(10)) + " |")
print()
print(f"Eight samples of every class (row k is class k; seed {seed}), at w = 0 and at w = {setting(chosen_row)}:")
print()
print(f"![every class at w = 0]({image('w0')}) ![every class at w = {setting(chosen_row)}]({image(chosen_row)})")
PY
echo "wrote $report" >&2
