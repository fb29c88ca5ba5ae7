#!/usr/bin/env bash
# Soak: N clients for M minutes against a scheduler, a denoiser and a sampler, each a process of its own
# (./ddpm serve ...) on loopback ports. Prints requests/s and p50/p99 latency per minute (from ./ddpm soak), and
# each service JVM's RSS, open files and threads when the load starts and when it ends (from /proc/<pid>/status
# and /proc/<pid>/fd), with RSS once a minute in between. The services are stopped (SIGTERM) at the end.
#
#   scripts/soak.sh [--clients N] [--minutes M] [--model NAME] [ddpm soak options...]
#
# Defaults: 8 clients, 10 minutes, the shipped digits model. Results: docs/benchmarks.md ("Soak"). Linux only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ddpm="$root/ddpm"
clients=8
minutes=10
model=digits
soak_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    *) soak_args+=("$1"); shift ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ddpm-soak.XXXXXX")"
names=()
pids=()
stop_services() {
  local i
  for i in "${!pids[@]}"; do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" 2>/dev/null || true
  done
  [ -n "${monitor:-}" ] && kill "$monitor" 2>/dev/null || true
}
trap stop_services EXIT

# Starts `ddpm serve NAME ARGS...` in the background (./ddpm execs the JVM, so $! is its pid) and sets $address
# to the address it listens on once it says so.
start() {
  local name="$1" log="$work/$1.log" tries=0
  address=""
  shift
  : >"$log"
  "$ddpm" serve "$name" --host 127.0.0.1 --port 0 "$@" >"$log" 2>&1 &
  names+=("$name")
  pids+=("$!")
  until address="$(sed -n "s/^$name listening on //p" "$log")" && [ -n "$address" ]; do
    if ! kill -0 "${pids[-1]}" 2>/dev/null || [ $((tries += 1)) -gt 1200 ]; then
      echo "soak: $name did not start; its log ($log):" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# name, pid, RSS (MiB), open files, threads of every service, one line each.
snapshot() {
  local i pid
  for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    printf '%-9s pid %-7s RSS %5d MiB  open files %4d  threads %3d\n' "${names[$i]}" "$pid" \
      $(($(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") / 1024)) \
      "$(ls "/proc/$pid/fd" | wc -l)" "$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")"
  done
}

echo "soak: building if needed, then starting scheduler, denoiser and sampler (logs in $work)"
"$ddpm" --version >/dev/null
start scheduler
scheduler="$address"
start denoiser --models "${DDPM_MODELS:-$root/models}"
denoiser="$address"
start sampler --scheduler "$scheduler" --denoiser "$denoiser"
sampler="$address"

# The denoiser serves once its models are loaded and warm: until then a sample fails, and is tried again.
for attempt in $(seq 1 120); do
  if "$ddpm" sample --target "$sampler" --model "$model" --n 1 --sampler ddim --steps 10 --out "$work/warm-up" \
      >/dev/null 2>"$work/warm-up.err"; then
    break
  fi
  [ "$attempt" -lt 120 ] || { cat "$work/warm-up.err" >&2; exit 1; }
  sleep 1
done

echo "--- at start"
snapshot | tee "$work/start.txt"
(
  minute=0
  while sleep 60; do
    minute=$((minute + 1))
    for i in "${!pids[@]}"; do
      printf 'minute %2d  %-9s RSS %5d MiB\n' "$minute" "${names[$i]}" \
        $(($(awk '/^VmRSS:/ {print $2}' "/proc/${pids[$i]}/status" 2>/dev/null || echo 0) / 1024))
    done
  done
) >"$work/rss.txt" &
monitor=$!

status=0
"$ddpm" soak --target "$sampler" --clients "$clients" --minutes "$minutes" --model "$model" \
  ${soak_args[@]+"${soak_args[@]}"} || status=$?

kill "$monitor" 2>/dev/null || true
echo "--- at end"
snapshot | tee "$work/end.txt"
echo "--- RSS each minute"
cat "$work/rss.txt"
exit "$status"
