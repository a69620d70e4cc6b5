#!/usr/bin/env bash
# Boots the real agent: kernel + module archive + base initramfs (init, busybox, agent bundle) + a tiny "plugin"
# archive (/www/index.html), with a manifest whose workload is busybox httpd on port 80, passed as volant.manifest
# on the kernel command line. Checks init -> kestrel -> workload: GET http://<ip>:8080/healthz answers 200 with
# workload.state "running", and an ACPI power-button press (QMP system_powerdown) powers the VM off cleanly.
# Prints the seconds from QEMU start to that first "running" /healthz.
#
# Usage: guest/test/agent-boot-test.sh [--runs N] [--variant aot|nocache|aot-raw|late|disk|all]   (needs root; ~15-40 s per run)
#   aot      the bundle as built (kestrel.argv with -XX:AOTCache=...)
#   nocache  the same bundle with the AOTCache option removed and -Xshare:off (no class-data sharing at all)
#   aot-raw  as aot, but the initramfs handed to QEMU uncompressed (no gunzip in the emulated guest kernel)
#   late     as aot, but the first request waits until the workload is healthy (the agent must still answer)
#   disk     the agent from the shared read-only agent image (scripts/build-agent-image.sh, a virtio-blk disk with
#            serial volant-agent that the init mounts on /opt/volant/agent), the initramfs without it
# Env: AGENT_BUNDLE (default build/agent-bundle), VOLANT_QEMU_ACCEL=kvm to use KVM, EXTRA_JVM_OPTS="-Xint ..."
#      (space-separated JVM options added to kestrel.argv, for experiments), APPEND_EXTRA (kernel arguments).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/guest-lib.sh"
[ "$(id -u)" = 0 ] || { echo "agent-boot-test: needs root (netns, tap)" >&2; exit 1; }
runs=1 variant=aot
while [ $# -gt 0 ]; do
  case "$1" in --runs) runs=$2; shift 2 ;; --variant) variant=$2; shift 2 ;; *) echo "unknown $1" >&2; exit 2 ;; esac
done
[ "$variant" = all ] && variants=(aot nocache aot-raw late disk) || variants=("$variant")
guest_agent_inputs "$root"

W=$(mktemp -d /tmp/volant-agent-test.XXXXXX)
NS="vgagent$$"
QPID=""
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID"; wait "$QPID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
guest_netns_tap "$NS"

json='{"schema_version":"1.0","name":"bench","version":"0.1.0","runtime":"bench","initramfs":{"url":"file:///bench.cpio.gz"},"resources":{"cpu_cores":1,"memory_mb":512},"workload":{"type":"http","entrypoint":["/bin/busybox","httpd","-f","-p","80","-h","/www"],"base_url":"http://127.0.0.1:80","workdir":"/","env":{}},"health_check":{"endpoint":"/","timeout_ms":10000}}'
manifest=$(guest_manifest_arg "$json")
mkdir -p "$W/plugin/www"; echo workload > "$W/plugin/www/index.html"
guest_cpio "$W/plugin" "$W/plugin.cpio.gz"

build_initrd() { # $1 = variant -> $W/<variant>.initrd
  if [ "$1" = late ]; then
    build_initrd aot >/dev/null; cp "$W/aot.initrd" "$W/late.initrd"
    echo "agent-boot-test: [$1] initramfs as aot, first request only after the workload is healthy"; return
  fi
  if [ "$1" = disk ]; then
    "$root/scripts/build-agent-image.sh" "$bundle" "$W/agent.img" >/dev/null
    AGENT_BUNDLE="$bundle" "$root/scripts/build-base-initramfs.sh" "$W/base-disk.cpio.gz" --no-agent >/dev/null
    cat "$root/build/kernel/modules.cpio.gz" "$W/base-disk.cpio.gz" "$W/plugin.cpio.gz" > "$W/disk.initrd"
    echo "agent-boot-test: [$1] initramfs $(stat -c %s "$W/disk.initrd") bytes, agent image $(stat -c %s "$W/agent.img") bytes"
    return
  fi
  if [ "$1" = aot-raw ]; then
    build_initrd aot >/dev/null; zcat "$W/aot.initrd" > "$W/aot-raw.initrd"
    echo "agent-boot-test: [$1] initramfs $(stat -c %s "$W/$1.initrd") bytes (uncompressed)"; return
  fi
  rm -rf "$W/b"; cp -a "$bundle" "$W/b"
  if [ -n "${EXTRA_JVM_OPTS:-}" ]; then # experiments: extra JVM options before -jar
    awk -v extra="$EXTRA_JVM_OPTS" '$0 == "-jar" { n = split(extra, e, " "); for (i = 1; i <= n; i++) print e[i] } { print }' \
      "$bundle/kestrel.argv" > "$W/b/kestrel.argv"
  fi
  if [ "$1" = nocache ]; then
    grep -v -- '-XX:AOTCache=' "$bundle/kestrel.argv" | sed 's|^-XX:-UsePerfData$|-XX:-UsePerfData\n-Xshare:off|' > "$W/b/kestrel.argv"
    rm -f "$W/b/kestrel.aot"
  fi
  AGENT_BUNDLE="$W/b" "$root/scripts/build-base-initramfs.sh" "$W/base-$1.cpio.gz" >/dev/null
  cat "$root/build/kernel/modules.cpio.gz" "$W/base-$1.cpio.gz" "$W/plugin.cpio.gz" > "$W/$1.initrd"
  echo "agent-boot-test: [$1] initramfs $(stat -c %s "$W/$1.initrd") bytes (modules + base + plugin, gzip)"
}

fail() { echo "agent-boot-test: FAIL [$v]: $*" >&2; tail -40 "$W/console" >&2; exit 1; }

boot_once() { # $1 = variant; prints seconds to a "running" /healthz
  local v=$1 start body disk=()
  [ "$v" = disk ] && disk=(-drive "file=$W/agent.img,if=none,id=agent,format=raw,readonly=on"
    -device virtio-blk-pci,drive=agent,serial=volant-agent)
  rm -f "$W/console" "$W/qmp"
  start=$(date +%s.%N)
  ip netns exec "$NS" qemu-system-x86_64 -name bench -machine q35 -accel "$accel" -cpu "$cpu" -smp 1 -m 512 \
    -nodefaults -no-user-config -display none -no-reboot -kernel "$K" -initrd "$W/$v.initrd" \
    -append "console=ttyS0 reboot=k panic=1 quiet ip=10.0.2.2::10.0.2.1:255.255.255.0:bench:eth0:off volant.boot=initramfs volant.manifest=$manifest ${APPEND_EXTRA:-}" \
    -serial "file:$W/console" -qmp "unix:$W/qmp,server=on,wait=off" \
    -netdev tap,id=net0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=net0 "${disk[@]}" \
    > "$W/qemu.log" 2>&1 &
  QPID=$!
  if [ "$v" = late ]; then
    # No request until the workload has been up and idle for a while. Regression: with the workload's pipe readers on
    # virtual threads, a one-vCPU guest's agent first asked ~45 s after boot never answered (requests made during
    # boot were fine, so the plain variant did not see it).
    for _ in $(seq 1 1800); do grep -qa 'kestrel: workload healthy' "$W/console" 2>/dev/null && break; sleep 0.1; done
    sleep 45
  fi
  body="" t_init="" t_main="" t_api=""
  since() { echo "$(date +%s.%N) - $start" | bc; }
  while [ "$(echo "$(date +%s.%N) - $start < 180" | bc)" = 1 ]; do
    if body=$(ip netns exec "$NS" curl -sf -m 2 http://10.0.2.2:8080/healthz) && grep -q '"state" *: *"running"' <<< "$body"; then
      printf 'agent-boot-test: [%s] /healthz running after %.2f s (%s): %s\n' "$v" "$(echo "$(date +%s.%N) - $start" | bc)" "$accel" "$body"
      break
    fi
    body=""
    [ -z "$t_init" ] && grep -qa 'Handing off' "$W/console" 2>/dev/null && t_init=$(since)
    [ -z "$t_main" ] && grep -qa 'kestrel: starting main' "$W/console" 2>/dev/null && t_main=$(since)
    [ -z "$t_api" ] && grep -qa 'kestrel: api listening' "$W/console" 2>/dev/null && t_api=$(since)
    kill -0 "$QPID" 2>/dev/null || fail "QEMU exited before /healthz reported running"
    sleep 0.1
  done
  [ -n "${body:-}" ] || fail "no running /healthz in 180 s"
  printf 'agent-boot-test: [%s] wall clock (s): init hands off %.1f, kestrel main %.1f, api listening %.1f\n' \
    "$v" "${t_init:-0}" "${t_main:-0}" "${t_api:-0}"
  echo "agent-boot-test: [$v] guest: $(grep -o 'C INIT: modules.*' "$W/console" | tr -d '\r'), load average $(cut -d' ' -f1 /proc/loadavg)"
  if [ "$v" = disk ]; then grep -q 'C INIT: agent: /dev/vda (serial volant-agent) on /opt/volant/agent' "$W/console" ||
    fail "the init did not mount the agent image"; fi
  [ "$(ip netns exec "$NS" curl -s -m 5 http://10.0.2.2:8080/v1/index.html)" = workload ] || fail "passthrough to the workload failed"
  # Graceful stop as the host does it: ACPI power button -> kestrel exits 0 -> init powers off.
  printf '{"execute":"qmp_capabilities"}\n{"execute":"system_powerdown"}\n' | socat - "UNIX-CONNECT:$W/qmp" >/dev/null
  for _ in $(seq 1 600); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$QPID" 2>/dev/null && fail "QEMU still running 60 s after system_powerdown"
  local rc=0; wait "$QPID" || rc=$?; QPID=""
  [ "$rc" = 0 ] || fail "QEMU exit status $rc"
  grep -q "reboot: Power down" "$W/console" || fail "no clean power-down"
  grep -q "Kernel panic" "$W/console" && fail "kernel panic"
  grep -q "C INIT: kestrel exited (exit status 0)" "$W/console" || fail "kestrel did not exit 0"
  echo "agent-boot-test: [$v] power button -> kestrel exit 0 -> clean power-off"
}

for v in "${variants[@]}"; do
  build_initrd "$v"
  for _ in $(seq 1 "$runs"); do boot_once "$v"; done
done
