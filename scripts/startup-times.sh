#!/usr/bin/env bash
# Measures what a one-image `./ddpm sample` costs before and after its one denoiser call: RUNS runs each as the
# launcher runs it, without the build's class-data-sharing archive (DDPM_JAVA_OPTS=-Xshare:off) and with both of the
# JVM's compilers (-XX:TieredStopAtLevel=4, where the launcher gives a sample the quick one alone), interleaved so
# that all three see the same machine, and prints the median wall, user and system seconds of each and the ratios
# of the launcher's way to each other.
# Usage: scripts/startup-times.sh [RUNS] [MODEL]   (defaults: 7, mnist; needs GNU time, /usr/bin/time)
#
# The sample is DDIM over one step in fp32, so nearly all of it is starting and stopping: the JVM, the four
# services, the model's load and warm-up, one engine call and the exit. docs/benchmarks.md, Startup, has the figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-7}"
model="${2:-mnist}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Builds first, if the sources changed, so that no run below pays for it.
"$root/ddpm" --version >/dev/null

# One run: appends "wall user system" in seconds to $scratch/$1.
run() {
  local label="$1" opts="$2"
  DDPM_JAVA_OPTS="$opts" /usr/bin/time -f "%e %U %S" -a -o "$scratch/$label" \
    "$root/ddpm" sample --model "$model" --n 1 --seed 1 --sampler ddim --steps 1 --precision fp32 \
    --out "$scratch/sample" >/dev/null 2>&1
}

for ((i = 0; i < runs; i++)); do
  run launcher ""
  run no-archive "-Xshare:off"
  run both-compilers "-XX:TieredStopAtLevel=4"
done

# The median of column $2 of file $1.
median() {
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-30s %8s %8s %8s\n' "" "wall s" "user s" "sys s"
for label in no-archive both-compilers launcher; do
  printf '%-30s %8s %8s %8s\n' "$label ($runs runs, median)" \
    "$(median "$scratch/$label" 1)" "$(median "$scratch/$label" 2)" "$(median "$scratch/$label" 3)"
done
for other in no-archive both-compilers; do
  for column in 1 2; do
    name=$([ "$column" = 1 ] && echo wall || echo user)
    awk -v a="$(median "$scratch/launcher" "$column")" -v b="$(median "$scratch/$other" "$column")" -v n="$name" \
      -v o="$other" 'BEGIN { printf "launcher / %s %s: %.2f\n", o, n, a / b }'
  done
done
