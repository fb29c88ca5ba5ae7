#!/usr/bin/env bash
# The production topology as local processes: the Deployments of deploy/overlays/cpu, each replica a
# `./ddpm serve` process with the manifests' own flags, rendered by `kubectl kustomize` (scripts/kubectl.sh). What
# changes on loopback: every port is a free one (--port 0, --metrics-port 0, --health-port 0), the pods' paths are
# folders of a temporary work folder (the model repository a copy of ./models), the peers' cluster DNS names are the
# replicas' loopback addresses, and the TLS files, --roles and --token-file are left out (loopback serves without
# TLS or roles).
#
#   scripts/local-topology.sh [--soak-minutes M] [--clients N] [--train-steps S]
#
# It starts the replicas in health order (schedulers; denoisers, waited for until every model's default version is
# loaded; samplers and the trainer), samples through each sampler, restarts one denoiser (SIGTERM, drain, start
# again on its port) while `./ddpm soak` loads both samplers, publishes a new version of `digits` with a short
# training job and waits until every denoiser serves it, pins the old version back on every denoiser and unpins it,
# and prints what it measured. Exits non-zero if a request failed or a step did not happen. Results:
# docs/operations.md ("A rehearsal on one machine"). Linux only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ddpm="$root/ddpm"
soak_minutes=2
clients=8
train_steps=300
while [ $# -gt 0 ]; do
  case "$1" in
    --soak-minutes) soak_minutes="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --train-steps) train_steps="$2"; shift 2 ;;
    *) echo "local-topology: unknown option $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ddpm-topology.XXXXXX")"
mkdir -p "$work/work" "$work/logs"
cp -r "$root/models" "$work/models"
names=()
pids=()
declare -A address metrics_url args_of

stop_all() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" 2>/dev/null || true
  done
  # The logs and samples stay; the repository's copy and the checkpoints go.
  rm -rf "$work/models" "$work/work"
}
trap stop_all EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Each Deployment's replicas (its autoscaler's minimum when one scales it) and its container's args, from the
# rendered overlay: "NAME REPLICAS ARG ARG ...", one line per Deployment.
kubectl="$("$root/scripts/kubectl.sh")"
declare -A replicas
while IFS='|' read -r kind name count minimum target flags; do
  case "$kind" in
    Deployment) replicas[$name]="${replicas[$name]:-${count:-1}}"; args_of[$name]="$flags" ;;
    HorizontalPodAutoscaler) replicas[$target]="$minimum" ;;
  esac
done < <("$kubectl" kustomize "$root/deploy/overlays/cpu" \
  | "$kubectl" patch --local -f - --type merge -p '{}' -o jsonpath='{.kind}|{.metadata.name}|{.spec.replicas}|{.spec.minReplicas}|{.spec.scaleTargetRef.name}|{range .spec.template.spec.containers[0].args[*]}{@}{" "}{end}{"\n"}')

# The loopback addresses of every replica of a service started so far, as one --scheduler or --denoiser target.
replicas_of() {
  local service="$1" i list=""
  for i in "${!names[@]}"; do
    [[ "${names[$i]}" == "$service"-* ]] && list="${list:+$list,}${address[${names[$i]}]}"
  done
  echo "$list"
}

# The manifest's flags of SERVICE, made local.
local_flags() {
  local service="$1" flag
  for flag in ${args_of[$service]}; do
    case "$flag" in
      --host=*) echo "--host=127.0.0.1" ;;
      --port=*) echo "--port=${2:-0}" ;;
      --metrics-port=*) echo "--metrics-port=0" ;;
      --health-port=*) echo "--health-port=0" ;;
      --models=*) echo "--models=$work/models" ;;
      --work=*) echo "--work=$work/work" ;;
      --data=*) echo "--data=$root/data" ;;
      --roles=* | --token-file=* | --tls-cert=* | --tls-key=* | --tls-ca=*) ;;
      --denoiser=*) echo "--denoiser=$(replicas_of denoiser)" ;;
      --scheduler=*) echo "--scheduler=$(replicas_of scheduler)" ;;
      *) echo "$flag" ;;
    esac
  done
}

# The index of replica NAME in names and pids; empty before it first starts.
index_of() {
  local i
  for i in "${!names[@]}"; do
    [ "${names[$i]}" = "$1" ] && echo "$i"
  done
  return 0
}

pid_of() { echo "${pids[$(index_of "$1")]}"; }

# Starts replica NAME of SERVICE, on PORT if given (a restart keeps its port, as a pod keeps its DNS name), and
# waits until it listens.
start() {
  local service="$1" name="$2" port="${3:-0}" log="$work/logs/$2.log" tries=0 began pid index
  local -a flags
  [ -e "$log" ] && log="$work/logs/$name.restarted.log"
  mapfile -t flags < <(local_flags "$service" "$port")
  : >"$log"
  began="$(now)"
  "$ddpm" serve "$service" "${flags[@]}" >"$log" 2>&1 &
  pid=$!
  index="$(index_of "$name")"
  if [ -n "$index" ]; then
    pids[$index]=$pid
  else
    names+=("$name")
    pids+=("$pid")
  fi
  until address[$name]="$(sed -n "s/^$service listening on //p" "$log")" && [ -n "${address[$name]}" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $((tries += 1)) -gt 1200 ]; then
      echo "local-topology: $name did not start; its log ($log):" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  metrics_url[$name]="$(sed -n "s/^$service metrics on //p" "$log")"
  printf '%-12s listening on %-16s after %5s s   %s\n' "$name" "${address[$name]}" "$(since "$began")" \
    "ddpm serve $service ${flags[*]}"
}

# What a denoiser lists: "digits versions [1, 2] (default 2)" lines.
models_of() { "$ddpm" models --target "${address[$1]}" 2>/dev/null; }

# Waits (5 minutes at most, as the denoiser's startup probe does) until denoiser NAME has loaded every model's
# default version (ListModels shows no default 0), as its readiness probe waits for SERVING.
await_serving() {
  local name="$1" began="$2" listed
  while [ "$(since "$began" | cut -d. -f1)" -lt 300 ]; do
    listed="$(models_of "$name" || true)"
    if [ -n "$listed" ] && ! grep -q -e '(default 0' -e '^no models' <<<"$listed"; then
      printf '%-12s serving after %5s s: %s\n' "$name" "$(since "$began")" "$(tr -s ' \n' ' ;' <<<"$listed")"
      return
    fi
    sleep 0.5
  done
  echo "local-topology: $name never served every model" >&2
  exit 1
}

# The sum of one metric's samples on replica NAME's metrics page (plain HTTP/1.0 over bash's /dev/tcp).
metric() {
  local name="$1" metric="$2" hostport
  hostport="${metrics_url[$name]#http://}"
  hostport="${hostport%%/*}"
  exec 7<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
  printf 'GET /metrics HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&7
  awk -v m="$metric" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%.0f", s }' <&7
  exec 7<&-
}

rss_mib() { echo $(($(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") / 1024)); }

echo "local-topology: deploy/overlays/cpu as processes: ${replicas[scheduler]} scheduler, ${replicas[denoiser]}" \
  "denoisers, ${replicas[sampler]} samplers, ${replicas[trainer]} trainer (logs and models in $work)"
"$ddpm" --version >/dev/null

echo "--- start, in health order"
for i in $(seq 1 "${replicas[scheduler]}"); do start scheduler "scheduler-$i"; done
for i in $(seq 1 "${replicas[denoiser]}"); do
  began="$(now)"
  start denoiser "denoiser-$i"
  await_serving "denoiser-$i" "$began"
done
for i in $(seq 1 "${replicas[sampler]}"); do start sampler "sampler-$i"; done
for i in $(seq 1 "${replicas[trainer]}"); do start trainer "trainer-$i"; done

echo "--- a sample through each sampler (digits, 4 images, DDIM over 20 steps)"
for i in $(seq 1 "${replicas[sampler]}"); do
  began="$(now)"
  "$ddpm" sample --target "${address[sampler-$i]}" --model digits --n 4 --sampler ddim --steps 20 \
    --out "$work/sample-$i" >"$work/logs/sample-$i.log" 2>&1 || { cat "$work/logs/sample-$i.log" >&2; exit 1; }
  echo "sampler-$i: 4 images in $(since "$began") s -> $work/sample-$i.png"
done

echo "--- rolling restart of denoiser-1 under load: ./ddpm soak, $clients clients over both samplers," \
  "$soak_minutes min"
before_2="$(metric denoiser-2 ddpm_denoiser_images_total)"
"$ddpm" soak --target "$(replicas_of sampler)" --clients "$clients" --minutes "$soak_minutes" --model digits \
  >"$work/logs/soak.log" 2>&1 &
soak=$!
# Once the soak's clients are sending (its first line), 15 s of load on both denoisers, then the restart.
until grep -qs '^soak:' "$work/logs/soak.log"; do
  kill -0 "$soak" 2>/dev/null || { cat "$work/logs/soak.log" >&2; exit 1; }
  sleep 0.2
done
soak_began="$(metric denoiser-1 ddpm_denoiser_images_total)"
sleep 15
port="${address[denoiser-1]##*:}"
old_process="$(($(metric denoiser-1 ddpm_denoiser_images_total) - soak_began))"
stopped="$(now)"
kill -TERM "$(pid_of denoiser-1)"
wait "$(pid_of denoiser-1)" || true
echo "denoiser-1   SIGTERM: drained and exited after $(since "$stopped") s"
restarted="$(now)"
start denoiser denoiser-1 "$port"
await_serving denoiser-1 "$restarted"
echo "denoiser-1   back $(since "$stopped") s after SIGTERM"
soak_status=0
wait "$soak" || soak_status=$?
cat "$work/logs/soak.log"
after_1="$(metric denoiser-1 ddpm_denoiser_images_total)"
after_2="$(metric denoiser-2 ddpm_denoiser_images_total)"
echo "network evaluations during the soak: denoiser-1 $old_process before SIGTERM and $after_1 after its restart;" \
  "denoiser-2 $((after_2 - before_2))"
[ "$soak_status" -eq 0 ] || { echo "local-topology: the soak had failed requests" >&2; exit 1; }
[ "$after_1" -gt 0 ] || { echo "local-topology: the restarted denoiser took no calls" >&2; exit 1; }

echo "--- publish: a digits job of $train_steps steps on the trainer; every denoiser serves the new version"
began="$(now)"
"$ddpm" train --target "${address[trainer-1]}" --model digits --dataset digits --arch conv --channels 32 \
  --steps "$train_steps" --batch-size 64 --lr 2e-3 >"$work/logs/train.log" 2>&1 || { cat "$work/logs/train.log" >&2; exit 1; }
published="$(now)"
echo "trainer-1    $(grep -E 'SUCCEEDED|FAILED' "$work/logs/train.log") in $(since "$began") s; digits versions in" \
  "the repository: $(ls "$work/models/digits" | sort -n | tr '\n' ' ')"
new_version="$(ls "$work/models/digits" | sort -n | tail -n 1)"
for i in $(seq 1 "${replicas[denoiser]}"); do
  for _ in $(seq 1 240); do
    models_of "denoiser-$i" | grep -q "^digits .*(default $new_version)" && break
    sleep 0.25
  done
  models_of "denoiser-$i" | grep -q "^digits .*(default $new_version)" \
    || { echo "local-topology: denoiser-$i never served digits version $new_version" >&2; exit 1; }
  echo "denoiser-$i   default digits version $new_version $(since "$published") s after the job ended"
done
"$ddpm" sample --target "${address[sampler-1]}" --model digits --n 4 --sampler ddim --steps 20 \
  --out "$work/sample-v$new_version" >"$work/logs/sample-v$new_version.log" 2>&1
echo "sampler-1    sampled digits (default version $new_version) -> $work/sample-v$new_version.png"

echo "--- roll back: pin the previous version on every denoiser, then unpin"
for i in $(seq 1 "${replicas[denoiser]}"); do
  echo "denoiser-$i   $("$ddpm" models pin "digits:$((new_version - 1))" --target "${address[denoiser-$i]}")"
done
for i in $(seq 1 "${replicas[denoiser]}"); do
  echo "denoiser-$i   $("$ddpm" models unpin digits --target "${address[denoiser-$i]}")"
done

echo "--- memory at the end"
for i in "${!names[@]}"; do
  printf '%-12s RSS %5d MiB\n' "${names[$i]}" "$(rss_mib "${pids[$i]}")"
done
echo "local-topology: done; stopping every process (SIGTERM)"
