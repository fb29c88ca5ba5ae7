#!/usr/bin/env bash
# GPU check of the denoiser, for a machine with an NVIDIA GPU (no network needed), from a tree built with
# TensorFlow's GPU natives:
#
#   mvn -B -Pgpu -DskipTests package      # once, where Maven can reach its repository
#   scripts/gpu-check.sh [--model NAME] [--models DIR]
#
# 1. Loads the model (default: mnist, the shipped one) on the CPU and on the GPU in one JVM and checks that ε on
#    the GPU equals ε on the CPU for the same 64 inputs (x_t ~ N(0, I), timesteps spread over [0, T-1]) within
#    0.02 in every entry. Why 0.02: the GPU's kernels (cuDNN, cuBLAS) sum in other orders than the CPU's, and on
#    Ampere and later TensorFlow runs float32 convolutions and matrix products in TF32 (unit roundoff about 5e-4);
#    through the U-Net's few dozen layers that moves ε (entries of order 1) by about 1e-3, while a real fault
#    (other weights, a wrong layout) moves it by order 1. `ddpm device-bench --tolerance` changes it.
# 2. Prints images/s of engine calls of 1, 16, 64, 256 and 1024 images on each device, with the network's GFLOP/s
#    and its share of each device's measured matrix-product peak (ddpm device-bench).
# 3. Prints the wall time of `ddpm sample --n 256` with DDIM over 50 steps and with ancestral sampling over all
#    1000, against `ddpm up --device cpu` and then `ddpm up --device gpu` (scheduler, denoiser, sampler over gRPC).
#
# Where no GPU is visible it stops at once with one line saying why and exit code 2 (1 when a check fails).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
model=mnist
models="${DDPM_MODELS:-$root/models}"
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    *) echo "gpu-check: unknown argument $1 (takes --model NAME, --models DIR)" >&2; exit 2 ;;
  esac
done

unavailable() {
  echo "gpu-check: $*" >&2
  exit 2
}

jar="$root/cli/target/ddpm-cli.jar"
lib="$root/cli/target/lib"
[ -f "$jar" ] && [ -d "$lib" ] \
  || unavailable "no build in cli/target; build the tree first: mvn -B -Pgpu -DskipTests package"
command -v nvidia-smi >/dev/null 2>&1 \
  || unavailable "no NVIDIA GPU visible: nvidia-smi is not installed (no NVIDIA driver on this machine)"
gpus="$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ' || true)"
[ "$gpus" -gt 0 ] || unavailable "no NVIDIA GPU visible: nvidia-smi lists none"
compgen -G "$lib/tensorflow-core-native-*-linux-x86_64-gpu.jar" >/dev/null \
  || unavailable "the build holds TensorFlow's CPU natives only; rebuild with: mvn -B -Pgpu -DskipTests package"

# The built CLI, without ./ddpm's rebuild (which needs Maven and would pick the CPU natives).
ddpm() {
  TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}" java ${DDPM_JAVA_OPTS:-} -cp "$jar:$lib/*" ddpm.cli.Ddpm "$@"
}

echo "gpu-check: $(nvidia-smi -L | head -n 1); model $model from $models"
ddpm device-bench --models "$models" --model "$model" --devices cpu,gpu --batches 1,16,64,256,1024

work="$(mktemp -d "${TMPDIR:-/tmp}/ddpm-gpu-check.XXXXXX")"
suite=""
stop_suite() {
  if [ -n "$suite" ]; then
    kill -TERM "$suite" 2>/dev/null || true
    wait "$suite" 2>/dev/null || true
    suite=""
  fi
}
trap stop_suite EXIT

# Starts `ddpm up --device DEVICE` and sets $sampler to its sampler's address once it prints it.
start_suite() {
  local log="$work/up-$1.log" tries=0
  sampler=""
  ddpm up --device "$1" --models "$models" >"$log" 2>&1 &
  suite="$!"
  until sampler="$(sed -n 's/^sampler  *\([^ ]*\).*/\1/p' "$log")" && [ -n "$sampler" ]; do
    if ! kill -0 "$suite" 2>/dev/null || [ $((tries += 1)) -gt 3000 ]; then
      echo "gpu-check: ddpm up --device $1 did not start; its log ($log):" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# Wall seconds of one `ddpm sample --n 256` against the running suite.
timed_sample() {
  local start end
  start="$(date +%s.%N)"
  ddpm sample --target "$sampler" --model "$model" --n 256 --out "$work/sample" "$@" >/dev/null 2>"$work/sample.err" \
    || { echo "gpu-check: ddpm sample $* failed:" >&2; cat "$work/sample.err" >&2; exit 1; }
  end="$(date +%s.%N)"
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

echo "ddpm sample --n 256, wall seconds (each device's suite started and warmed up first):"
printf '%-8s %14s %20s\n' device "DDIM-50" "ancestral-1000"
for device in cpu gpu; do
  start_suite "$device"
  # The denoiser loads and warms the model up as it starts; one short request waits for that, outside the timing.
  timed_sample --sampler ddim --steps 2 >/dev/null
  ddim="$(timed_sample --sampler ddim --steps 50)"
  ancestral="$(timed_sample --sampler ancestral --steps 0)"
  printf '%-8s %14s %20s\n' "$device" "$ddim" "$ancestral"
  stop_suite
done
