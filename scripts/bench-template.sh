#!/usr/bin/env bash
# Template benchmark (docs/templates.md): the httpd example (examples/initramfs-httpd, built by fledge) as two
# deployments on one real bin/volantd (QEMU backend, TCG unless VOLANT_QEMU_ACCEL=kvm, 1 vCPU, 512 MB): "cold" with
# "template": false and "warm" whose replicas are clones of one template. Each replica is added by one scale step and
# timed from its QEMU process start (/proc/<pid>/stat) to its agent's /healthz reporting the workload running; with
# five of each running, the PSS of every QEMU (/proc/<pid>/smaps_rollup) is summed per kind. One run, side by side,
# the load average printed with it. Everything (volantd, netns with its bridge, runtime dir on /dev/shm, work dir)
# is created here and removed on exit.
#
# Usage: scripts/bench.sh template        (root: netns, bridge, taps; builds what is missing with scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
[ "$(id -u)" = 0 ] || { echo "bench-template: needs root (netns, bridge, taps)" >&2; exit 1; }
[ -f "$root/volantd/target/volantd.jar" ] && [ -x "$root/guest/build/volant-init" ] \
  && [ -f "$root/build/agent-bundle/kestrel.argv" ] || "$root/scripts/build.sh" >/dev/null
"$root/scripts/fetch-kernel.sh" "$root/build/kernel" >/dev/null
N=5
W=$(mktemp -d /tmp/volant-bench-tpl.XXXXXX) RUN=/dev/shm/vtbench$$ NS=vtbench$$ VPID=""
cleanup() {
  # volantd stops its VMs on SIGTERM; any QEMU it could not stop is killed by the PID recorded when it started.
  if [ -n "$VPID" ] && kill -0 "$VPID" 2>/dev/null; then kill "$VPID"; wait "$VPID" 2>/dev/null || true; fi
  for p in $(cat "$W/pids" 2>/dev/null); do
    grep -qa "$RUN/" "/proc/$p/cmdline" 2>/dev/null && kill "$p" 2>/dev/null || true
  done
  sleep 1
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$W" "$RUN"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api="http://127.0.0.1:$port"
volar() { "$root/bin/volar" --api "$api" "$@"; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
now() { date +%s.%N; }

ip netns add "$NS"; ip netns exec "$NS" ip link set lo up
"$root/bin/fledge" build -c "$root/examples/initramfs-httpd/fledge.toml" -o "$W/httpd.cpio.gz" >/dev/null 2>"$W/fledge.log" \
  || { cat "$W/fledge.log" >&2; exit 1; }
rel=$(cat "$root/build/kernel/release")
# The example carries no agent: volantd attaches the agent image (scripts/build.sh makes it) to every VM.
[ -f "$root/build/agent-bundle.img" ] || "$root/scripts/build-agent-image.sh" >/dev/null
env VOLANT_AGENT_IMAGE="${AGENT_IMAGE:-$root/build/agent-bundle.img}" VOLANT_RUNTIME_BACKEND=qemu VOLANT_QEMU_ACCEL="${VOLANT_QEMU_ACCEL:-tcg}" VOLANT_NETNS="$NS" \
    VOLANT_API_LISTEN="127.0.0.1:$port" VOLANT_DATA_DIR="$W/data" VOLANT_DB_PATH="$W/data/state.db" \
    VOLANT_RUNTIME_DIR="$RUN" VOLANT_LOG_DIR="$W/logs" VOLANT_CACHE_DIR="$W/cache" \
    VOLANT_GUEST_KERNEL="$root/build/kernel/vmlinuz" VOLANT_GUEST_MODULES_DIR="$root/build/kernel/lib/modules/$rel" \
    VOLANT_STOP_GRACE_SECONDS=2 "$root/bin/volantd" > "$W/volantd.log" 2>&1 &
VPID=$!
for _ in $(seq 1 600); do curl -sf "$api/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
volar plugins install --manifest "$W/httpd.cpio.gz.manifest.json" >/dev/null

qemu_start() { # pid -> wall-clock seconds when the process started, to 10 ms
  # Not /proc/stat's btime: it is whole seconds, and its dropped fraction (up to 1 s) was added to every time measured.
  local st hz up wall
  st=$(awk '{print $22}' "/proc/$1/stat"); hz=$(getconf CLK_TCK)
  read -r up _ < /proc/uptime; wall=$(now)
  echo "$wall - $up + $st / $hz" | bc -l
}
healthy() { # ip -> 0 once the agent reports the workload running
  ip netns exec "$NS" curl -sf -m 2 "http://$1:8080/healthz" 2>/dev/null | grep -q '"state" *: *"running"'
}
add_replica() { # deployment index -> prints "<seconds QEMU start -> /healthz running>"
  local d=$1 i=$2 vm pid="" ip t0 t1="" scale
  # The scale runs alongside: the row carries the pid as soon as QEMU exists, and polling /healthz from then on
  # sees the moment the replica turns healthy (waiting for the command first measured the CLI, not the replica).
  volar deployments scale "$d" "$i" >/dev/null & scale=$!
  for _ in $(seq 1 3000); do
    vm=$(curl -sf "$api/api/v1/vms/$d-$i" || true)
    pid=""; [ -n "$vm" ] && pid=$(json 'd.get("pid") or ""' <<< "$vm" 2>/dev/null || true)
    [ -n "$pid" ] && [ -e "/proc/$pid" ] && break
    sleep 0.01
  done
  [ -n "$pid" ] || { echo "bench-template: $d-$i has no QEMU" >&2; tail -40 "$W/volantd.log" >&2; exit 1; }
  ip=$(json 'd["ip_address"]' <<< "$vm"); echo "$pid" >> "$W/pids"
  t0=$(qemu_start "$pid")
  for _ in $(seq 1 6000); do healthy "$ip" && { t1=$(now); break; }; sleep 0.02; done
  [ -n "$t1" ] || { echo "bench-template: $d-$i never healthy" >&2; tail -40 "$W/volantd.log" >&2; exit 1; }
  wait "$scale" || { echo "bench-template: scale $d $i failed" >&2; exit 1; }
  echo "$t1 - $t0" | bc -l
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$pid/stat" >> "$W/cpu.$d"
}
pss() { # deployment first last -> total PSS (kB) of those replicas' QEMUs
  local total=0 pid
  for i in $(seq "$2" "$3"); do
    pid=$(curl -sf "$api/api/v1/vms/$1-$i" | json 'd["pid"]')
    total=$((total + $(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup")))
  done
  echo "$total"
}

echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), accel ${VOLANT_QEMU_ACCEL:-tcg}, load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
printf '{"plugin":"httpd","resources":{"cpu_cores":1,"memory_mb":512},"template":false}\n' > "$W/cold.json"
printf '{"plugin":"httpd","resources":{"cpu_cores":1,"memory_mb":512}}\n' > "$W/warm.json"
volar deployments create cold --config "$W/cold.json" --replicas 0 >/dev/null
volar deployments create warm --config "$W/warm.json" --replicas 0 >/dev/null

cold=() clone=()
for i in $(seq 1 "$N"); do
  t=$(add_replica cold "$i"); cold+=("$t"); printf 'cold  boot  cold-%d: %.2f s (load %s)\n' "$i" "$t" "$(cut -d' ' -f1 /proc/loadavg)"
done
# warm-1 boots cold while volantd makes the template in the background; the clones come after it is ready.
t0=$(now); volar deployments scale warm 1 >/dev/null
curl -sf "$api/api/v1/vms/warm-1" | json 'd["pid"]' >> "$W/pids"
for _ in $(seq 1 3000); do
  [ "$(curl -sf "$api/api/v1/system/info" | json 'd["templates"]["count"]')" = 1 ] && break; sleep 0.2
done
printf 'template: ready %.2f s after the first replica was asked for (boot to warm + device state save)\n' "$(echo "$(now) - $t0" | bc -l)"
grep -a -o 'template captured template=[^ ]* warm_ms=[0-9]* state_bytes=[0-9]*' "$W/volantd.log" | sed 's/^/  volantd: /' | head -1
for i in $(seq 2 $((N + 1))); do
  t=$(add_replica warm "$i"); clone+=("$t"); printf 'clone start warm-%d: %.2f s (load %s)\n' "$i" "$t" "$(cut -d' ' -f1 /proc/loadavg)"
  # The guest's own account (kestrel on the console): the clock exchange and identity received -> applied.
  grep -a -o 'time exchange.*\|identity applied.*' "$W/logs/warm-$i.console.log" 2>/dev/null | sed 's/^/  guest: /' || true
done
grep -a -o 'clone started vm=[^ ]* template=[^ ]* pid=[0-9]* duration_ms=[0-9]*\|clone resumed vm=[^"]*' "$W/volantd.log" \
  | sed 's/^/  volantd: /' | tail -$((2 * N))
sleep 3
pc=$(pss cold 1 "$N") pw=$(pss warm 2 $((N + 1)))
breakdown() { # deployment first last -> where the clones' PSS is (MB): template RAM shared, written by the clone, rest of QEMU
  local pids="" i
  for i in $(seq "$2" "$3"); do pids="$pids $(curl -sf "$api/api/v1/vms/$1-$i" | json 'd["pid"]')"; done
  python3 - $pids <<'PY'
import sys
ram_shared = ram_written = tcg = other = 0
for pid in sys.argv[1:]:
    kind = "other"
    for line in open(f"/proc/{pid}/smaps"):
        f = line.split()
        if len(f) >= 5 and "-" in f[0] and ":" not in f[0]:
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            if len(f) >= 6 and f[5].endswith(".ram"):
                kind = "ram"
            elif len(f) == 5 and hi - lo >= 256 << 20:
                kind = "tcg"  # TCG's translation cache: one large anonymous reservation (1 GiB by default)
            else:
                kind = "other"
        elif f[0] == "Pss:":
            v = int(f[1])
            if kind == "ram":
                ram_shared += v  # the written (anonymous) pages are taken out below
            elif kind == "tcg":
                tcg += v
            else:
                other += v
        elif kind == "ram" and f[0] == "Anonymous:":
            ram_written += int(f[1])
            ram_shared -= int(f[1])
n = max(1, len(sys.argv) - 1)
mb = lambda kb: kb // n // 1024
print(f"  clone PSS each: {mb(ram_shared)} MB template RAM (shared pages, divided among the clones)"
      f" + {mb(ram_written)} MB guest RAM written after resume (private copies)"
      f" + {mb(tcg)} MB QEMU's TCG translation cache (none under KVM) + {mb(other)} MB rest of QEMU")
PY
}
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(med "${cold[@]}") mw=$(med "${clone[@]}")
tpl_ram=$(du -k "$RUN"/templates/*.ram 2>/dev/null | awk '{s+=$1} END {print s+0}')
echo "summary (accel ${VOLANT_QEMU_ACCEL:-tcg}, load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  cold boot   median %.2f s (runs: %s)\n' "$mc" "$(printf '%.2f ' "${cold[@]}")"
printf '  clone start median %.2f s (runs: %s) = %.3f x cold (target <= 1.0 s and <= 0.15 x)\n' "$mw" \
  "$(printf '%.2f ' "${clone[@]}")" "$(echo "$mw / $mc" | bc -l)"
printf '  QEMU CPU time until /healthz running (all its threads; what the wall times become on an idle host): cold %s s, clones %s s\n' \
  "$(med $(cat "$W/cpu.cold"))" "$(med $(cat "$W/cpu.warm"))"
printf '  PSS of %d cold boots %d MB (%d MB each); of %d clones (warm-2..) %d MB (%d MB each; target <= 100 MB)\n' \
  "$N" $((pc / 1024)) $((pc / 1024 / N)) "$N" $((pw / 1024)) $((pw / 1024 / N))
breakdown warm 2 $((N + 1))
printf '  template RAM file on tmpfs: %d MB (shared by the clones, counted in their PSS only for pages they map)\n' $((tpl_ram / 1024))
