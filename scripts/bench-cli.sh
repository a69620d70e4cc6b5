#!/usr/bin/env bash
# CLI start-up benchmark (scripts/bench.sh cli): median of N runs (default 10) of `volar version` and
# `volar vms list` against a real bin/volantd (simulated backend, 3 VMs, temp dir, loopback) and of
# `fledge --version`, each with and without the AOT cache (VOLANT_AOT=0): wall time and CPU time (user+sys).
# Prints a markdown table headed by the date and the load average (wall times swing with the load).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-10}
for m in volar fledge; do
  [ -f "$root/$m/target/$m.aot" ] || { echo "no AOT cache for $m: run scripts/build.sh first" >&2; exit 1; }
done
dir=$(mktemp -d "/tmp/volar-bench-$$.XXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
port=$((20000 + $$ % 20000))
VOLANT_RUNTIME_BACKEND=simulated VOLANT_API_LISTEN="127.0.0.1:$port" VOLANT_DATA_DIR="$dir" \
  VOLANT_DB_PATH="$dir/state.db" VOLANT_RUNTIME_DIR="$dir/run" VOLANT_LOG_DIR="$dir/logs" VOLANT_LOG_LEVEL=warn \
  VOLANT_SUBNET=10.201.0.0/16 VOLANT_HOST_IP=10.201.0.1 "$root/bin/volantd" > "$dir/volantd.out" 2>&1 &
pid=$!
export VOLANT_API_BASE="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  curl -fsS "$VOLANT_API_BASE/healthz" > /dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/volantd.out" >&2; exit 1; }
  sleep 0.1
done
: > "$dir/caddy.cpio.gz"
cat > "$dir/caddy.json" <<JSON
{"schema_version": "1.0", "name": "caddy", "version": "0.1.0", "runtime": "caddy",
 "initramfs": {"url": "$dir/caddy.cpio.gz"}, "resources": {"cpu_cores": 1, "memory_mb": 256},
 "workload": {"type": "http", "base_url": "http://127.0.0.1:80", "entrypoint": ["/usr/bin/caddy"]}}
JSON
"$root/bin/volar" plugins install "$dir/caddy.json" > /dev/null
for n in 1 2 3; do "$root/bin/volar" vms create "bench-$n" --plugin caddy > /dev/null; done

# Median wall time and median CPU time (user+sys, which a loaded machine inflates far less than wall time) in ms of
# `runs` runs of "$@", output discarded; bash's `time` keyword, so no extra process is measured.
median() {
  local walls=() cpus=() t
  local TIMEFORMAT='%R %U %S'
  for _ in $(seq 1 "$runs"); do
    t=$({ time "$@" > /dev/null 2>&1; } 2>&1)
    read -r real user sys <<< "$t"
    walls+=("$(awk -v r="$real" 'BEGIN {printf "%d", r * 1000}')")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%d", (u + s) * 1000}')")
  done
  echo "$(mid "${walls[@]}") $(mid "${cpus[@]}")"
}
mid() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}
row() {
  local label=$1; shift
  local with without
  "$@" > /dev/null 2>&1 || true  # warm the page cache once
  read -r ww wc <<< "$(median "$@")"
  read -r nw nc <<< "$(VOLANT_AOT=0 median "$@")"
  printf '| `%s` | %s ms (CPU %s ms) | %s ms (CPU %s ms) |\n' "$label" "$ww" "$wc" "$nw" "$nc"
}
echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $runs -->"
echo "| Command | AOT cache: wall (CPU) | no AOT cache: wall (CPU) |"
echo "|---|---|---|"
row "volar version" "$root/bin/volar" version
row "volar vms list" "$root/bin/volar" vms list
row "fledge --version" "$root/bin/fledge" --version
