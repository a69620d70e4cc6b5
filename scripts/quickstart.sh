#!/usr/bin/env bash
# The quickstart, as root on a fresh Debian machine:
#
#   scripts/quickstart.sh          install dependencies, build everything, fetch the guest kernel, start volantd
#                                  (embedded SQLite, QEMU backend, its own network namespace) in the background,
#                                  build the example plugin with fledge, install it with volar, create deployment
#                                  `web` (its first replica boots cold while volantd makes a template of it), scale
#                                  it to 3 replicas — copy-on-write clones of that warm template (docs/templates.md)
#                                  — and show what each replica serves and how fast each clone started
#   scripts/quickstart.sh status   what is running
#   scripts/quickstart.sh stop     delete the deployment, stop volantd, remove the namespace and all state
#
# Everything lives under build/quickstart/ and in the network namespace $VOLANT_QS_NETNS (default volant-qs);
# the root namespace's networking is never changed. volantd listens on 127.0.0.1:$VOLANT_QS_PORT (default 7777).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
state="$root/build/quickstart"
ns=${VOLANT_QS_NETNS:-volant-qs}
port=${VOLANT_QS_PORT:-7777}
api="http://127.0.0.1:$port"
replicas=${VOLANT_QS_REPLICAS:-3}
volar() { "$root/bin/volar" --api "$api" "$@"; }
say() { printf '\n==> %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "quickstart: run as root (it creates a network namespace with a bridge and taps for the VMs)" >&2
    exit 1
  fi
}

volantd_pid() {
  local pid
  pid=$(cat "$state/volantd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q volantd "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

start() {
  need_root
  say "Installing dependencies (Debian packages)"
  "$root/scripts/install-deps.sh"
  say "Building volantd, volar, fledge, kestrel and the guest init"
  "$root/scripts/build.sh"
  say "Fetching the guest kernel (Debian's linux-image-cloud-amd64)"
  "$root/scripts/fetch-kernel.sh" >/dev/null
  local kdir="$root/build/kernel" release
  release=$(cat "$kdir/release")
  [ -d "$root/build/agent-bundle" ] || { say "Building the agent bundle (jlink runtime + kestrel)"; "$root/scripts/build-agent-bundle.sh" >/dev/null; }

  say "Building the example plugin with fledge (examples/initramfs-httpd)"
  mkdir -p "$state"
  "$root/bin/fledge" build -c "$root/examples/initramfs-httpd/fledge.toml" -o "$state/httpd.cpio.gz"

  if [ -z "$(volantd_pid)" ]; then
    say "Starting volantd (QEMU backend, network namespace $ns, API $api)"
    ip netns list | grep -qw "^$ns" || ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
    env VOLANT_RUNTIME_BACKEND=qemu VOLANT_NETNS="$ns" \
        VOLANT_API_LISTEN="127.0.0.1:$port" \
        VOLANT_DATA_DIR="$state/data" VOLANT_RUNTIME_DIR="$state/run" VOLANT_LOG_DIR="$state/logs" \
        VOLANT_GUEST_KERNEL="$kdir/vmlinuz" VOLANT_GUEST_MODULES_DIR="$kdir/lib/modules/$release" \
        setsid "$root/bin/volantd" >"$state/volantd.log" 2>&1 < /dev/null &
    echo $! > "$state/volantd.pid"
    for _ in $(seq 1 600); do
      curl -fsS "$api/healthz" >/dev/null 2>&1 && break
      if [ -z "$(volantd_pid)" ]; then echo "volantd exited; its log:" >&2; tail -20 "$state/volantd.log" >&2; exit 1; fi
      sleep 0.2
    done
  fi

  say "Installing the plugin with volar"
  volar plugins show httpd >/dev/null 2>&1 || volar plugins install --manifest "$state/httpd.cpio.gz.manifest.json"
  printf '{"plugin":"httpd","resources":{"cpu_cores":1,"memory_mb":512}}\n' > "$state/web.json"

  say "Creating deployment web: its first replica boots cold while volantd makes a template of it in the background (QEMU boots one guest, saves it warm; without KVM this takes a little while)"
  if volar deployments get web >/dev/null 2>&1; then
    volar deployments scale web 1 --wait --wait-timeout 15m
  else
    volar deployments create web --config "$state/web.json" --replicas 1 --wait --wait-timeout 15m
  fi
  for _ in $(seq 1 900); do
    [ "$(template_count)" -ge 1 ] && break
    sleep 1
  done
  say "Scaling web to $replicas replicas: the new ones are copy-on-write clones of the template (docs/templates.md)"
  volar deployments scale web "$replicas" --wait --wait-timeout 15m

  say "Replicas"
  printf '%-8s %-16s %s\n' NAME IP BODY
  volar vms list | vm_rows | while read -r name ip; do
    body=$(ip netns exec "$ns" curl -s -m 10 "http://$ip/" || echo "(no answer)")
    printf '%-8s %-16s %s\n' "$name" "$ip" "$body"
  done

  say "Template"
  curl -fsS "$api/api/v1/system/info" | python3 -c 'import json,sys; t=json.load(sys.stdin)["templates"]; print("%d template(s): RAM file %d MB, state and media %d MB" % (t["count"], t["memory_bytes"] >> 20, t["disk_bytes"] >> 20))'
  grep -a -o 'template captured template=[^ ]* warm_ms=[0-9]*' "$state/volantd.log" | tail -1 || true
  grep -a -o 'clone started vm=[^ ]* template=[^ ]* pid=[0-9]* duration_ms=[0-9]*' "$state/volantd.log" | tail -"$replicas" || true
  grep -a -o 'template capture started, replica boots cold template=[^ ]* vm=[a-z0-9-]*' "$state/volantd.log" | tail -1 || true

  cat <<EOF

volantd is running (pid $(volantd_pid), log $state/volantd.log, API $api). Try:
  $root/bin/volar vms list
  $root/bin/volar deployments get web -o json
  $root/bin/volar deployments scale web 5 --wait
  $root/bin/volar vms console web-1            (Ctrl-] detaches)
  ip netns exec $ns curl http://<vm-ip>/       (the VMs live in network namespace $ns)
Stop and remove everything:
  $root/scripts/quickstart.sh stop
EOF
}

# Ready templates, from GET /api/v1/system/info.
template_count() {
  curl -fsS "$api/api/v1/system/info" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["templates"]["count"])' 2>/dev/null || echo 0
}

# Prints "name ip" for every VM, from volar's table (columns NAME STATUS RUNTIME IP ...).
vm_rows() {
  awk 'NR > 1 && $4 != "" { print $1, $4 }' | sort -V
}

stop() {
  need_root
  local pid
  pid=$(volantd_pid)
  if [ -n "$pid" ]; then
    say "Deleting deployment web and stopping volantd (pid $pid)"
    volar deployments delete web --yes >/dev/null 2>&1 || true
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  if ip netns list | grep -qw "^$ns"; then
    say "Removing network namespace $ns"
    ip netns del "$ns"
  fi
  rm -rf "$state"
  echo "quickstart stopped and cleaned up"
}

status() {
  local pid
  pid=$(volantd_pid)
  if [ -z "$pid" ]; then echo "volantd is not running"; exit 1; fi
  echo "volantd pid $pid, API $api, network namespace $ns"
  volar deployments list
  volar vms list
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: scripts/quickstart.sh [start|status|stop]" >&2; exit 2 ;;
esac
