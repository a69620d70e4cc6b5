#!/usr/bin/env bash
# Guest benchmark for the two guest targets: the example initramfs' gzipped size, and QEMU start -> first HTTP answer
# of (a) the busybox floor (kernel + busybox-only initramfs: insmod virtio, ip, httpd; the recipe of
# /work/shared/tools/qemu-floor.sh), (b) "example": the example plugin as volantd boots it (examples/initramfs-httpd
# built by fledge, no agent inside, plus the shared read-only agent image as a virtio-blk disk with serial
# volant-agent: init -> kestrel from the disk -> busybox httpd) and (c) "embedded": the same plugin built with
# `fledge build --embed-agent` (the agent runtime inside the initramfs, no disk: how every VM booted before the agent
# image), `/healthz` reporting the workload `running`. All boot the same kernel (build/kernel) under the same QEMU
# command line (q35, -cpu max, 1 vCPU, 512 MB, TCG unless VOLANT_QEMU_ACCEL=kvm, virtio-net on a tap in a private
# netns); only the initramfs, the agent disk and the volant.* kernel arguments differ. Runs alternate the variants so
# all see the same machine load; medians are printed at the end with the load average.
#
# Usage: scripts/bench-guest.sh [--runs N] [--keep]           (root: netns + tap; ~1 min per floor+example pair)
#        scripts/bench.sh guest [--runs N]                     (the same)
# Env:   EXAMPLE_INITRD=<cpio.gz>   boot this plugin archive (with the agent disk) instead of building the example
#        EXTRA_JVM_OPTS="-Xint ..." JVM options added to the bundle's kestrel.argv (experiments; rebuilds the example
#                                   from a copy of the bundle)
#        AGENT_BUNDLE=<dir>         agent bundle for the example (default build/agent-bundle)
#        BENCH_DIAG=1               a second serial port (guest /dev/ttyS1) saved as diag.<variant>.<n> with --keep,
#                                   e.g. for EXTRA_JVM_OPTS="-Xlog:class+load:file=/dev/ttyS1:uptime"
#        BENCH_APPEND="..."         extra kernel arguments for both (e.g. "printk.time=1" and no quiet: BENCH_QUIET=)
#        VARIANTS="name=cpio.gz ..." extra plugin archives to boot in the same rotation (A/B experiments);
#                                   APPEND_<name>="..." adds kernel arguments to that variant's boots only,
#                                   QEMU_<name>="..." QEMU arguments (e.g. the agent image's -drive/-device)
# Output: per boot one line with the time to the first answer, QEMU's RSS/PSS at that moment and the console
#         milestones (host clock, seconds from QEMU start, taken from a timestamped serial console); a summary with
#         medians. Never used as a test.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/guest-lib.sh"
[ "$(id -u)" = 0 ] || { echo "bench-guest: needs root (netns, tap)" >&2; exit 1; }
runs=3 keep=""
while [ $# -gt 0 ]; do
  case "$1" in --runs) runs=$2; shift 2 ;; --keep) keep=1; shift ;; *) echo "unknown $1" >&2; exit 2 ;; esac
done

"$root/scripts/fetch-kernel.sh" "$root/build/kernel" >/dev/null
K="$root/build/kernel/vmlinuz" MODS="$root/build/kernel/modules.cpio.gz"
rel=$(cat "$root/build/kernel/release")
W=$(mktemp -d /tmp/volant-bench-guest.XXXXXX)
NS="vgbench$$" QPID="" RPID=""
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID"; wait "$QPID" 2>/dev/null || true; fi
  if [ -n "$RPID" ]; then kill "$RPID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  if [ -n "$keep" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

# --- the example plugin, built by fledge exactly as its README says (agent from the disk), and with --embed-agent ---
[ -x "$root/guest/build/volant-init" ] || make -s -C "$root/guest" >/dev/null
bundle=${AGENT_BUNDLE:-$root/build/agent-bundle}
[ -f "$bundle/kestrel.argv" ] || "$root/scripts/build-agent-bundle.sh" "$bundle" >/dev/null
[ -f "$root/fledge/target/fledge.jar" ] || (cd "$root" && . scripts/lib/jdk.sh && mvn -B -q -ntp -pl fledge -am install -DskipTests)
if [ -n "${EXTRA_JVM_OPTS:-}" ]; then
  cp -a "$bundle" "$W/bundle"
  awk -v extra="$EXTRA_JVM_OPTS" '$0 == "-jar" { n = split(extra, e, " "); for (i = 1; i <= n; i++) print e[i] } { print }' \
    "$bundle/kestrel.argv" > "$W/bundle/kestrel.argv"
  touch -h -r "$bundle/kestrel.argv" "$W/bundle/kestrel.argv"
  bundle="$W/bundle"
fi
fledge_example() { # $1 = output, then extra fledge arguments
  local out=$1; shift
  FLEDGE_AGENT_BUNDLE="$bundle" "$root/bin/fledge" build -c "$root/examples/initramfs-httpd/fledge.toml" \
    -o "$out" "$@" >/dev/null 2>"$W/fledge.log" || { cat "$W/fledge.log" >&2; exit 1; }
}
example=${EXAMPLE_INITRD:-}
if [ -z "$example" ]; then
  fledge_example "$W/example.cpio.gz"
  example="$W/example.cpio.gz"
fi
fledge_example "$W/embedded.cpio.gz" --embed-agent
"$root/scripts/build-agent-image.sh" "$bundle" "$W/agent.img" >/dev/null
QEMU_example="-drive file=$W/agent.img,if=none,id=agent,format=raw,readonly=on -device virtio-blk-pci,drive=agent,serial=volant-agent"
for v in example embedded; do
  f="$W/$v.cpio.gz"; [ "$v" = example ] && f=$example
  size=$(stat -c %s "$f")
  echo "$v initramfs: $size bytes gzip ($(awk -v b="$size" 'BEGIN{printf "%.1f", b/1e6}') MB; target <= 20 MB)," \
       "$(zcat "$f" | wc -c) bytes uncompressed; + kernel modules $(stat -c %s "$MODS") bytes"
done
echo "agent image: $(stat -c %s "$W/agent.img") bytes (shared, read-only, attached to \"example\" only)"

# The manifest the host would pass (volant.manifest): the example's, compact JSON, gzip, base64url.
json='{"schema_version":"v1","name":"httpd","version":"0.1.0","runtime":"httpd","initramfs":{"url":"file:///httpd.cpio.gz"},"resources":{"cpu_cores":1,"memory_mb":512},"health_check":{"endpoint":"/","timeout_ms":10000},"workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["/bin/busybox","httpd","-f","-p","80","-h","/var/www"],"env":{"PATH":"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}}}'
manifest=$(guest_manifest_arg "$json")

# --- the busybox floor: same kernel, its virtio modules insmod-ed by a busybox script, httpd on :80 ---
F="$W/floor"; mkdir -p "$F"/{bin,proc,sys,dev,lib/modules,www}
cp /bin/busybox "$F/bin/"
for m in net/core/failover drivers/net/net_failover drivers/virtio/virtio_ring drivers/virtio/virtio \
         drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci \
         drivers/net/virtio_net; do
  cp "$root/build/kernel/lib/modules/$rel/kernel/$m.ko" "$F/lib/modules/"; echo "$(basename "$m")" >> "$F/lib/modules/order"
done
cat > "$F/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko; done
ip link set lo up; ip addr add 10.0.2.2/24 dev eth0; ip link set eth0 up
echo ok > /www/index.html; echo "FLOOR: httpd"; exec httpd -f -p 80 -h /www
EOF
chmod +x "$F/init"
guest_cpio "$F" "$W/floor.initrd"
cat "$MODS" "$example" > "$W/example.initrd"
cat "$MODS" "$W/embedded.cpio.gz" > "$W/embedded.initrd"
names=(floor example embedded)
for v in ${VARIANTS:-}; do
  n=${v%%=*}; p=${v#*=}; cat "$MODS" "$p" > "$W/$n.initrd"; names+=("$n")
  echo "variant $n: $(stat -c %s "$p") bytes gzip"
done

guest_netns_tap "$NS"
now() { date +%s.%N; }

boot() { # $1 = name -> appends "<name> <seconds>" to $W/results, prints a line
  local n=$1 url=http://10.0.2.2:8080/healthz extra="volant.boot=initramfs volant.manifest=$manifest" start t="" body rss pss
  [ "$n" = floor ] && url=http://10.0.2.2/ extra=""
  local va="APPEND_$n" vq="QEMU_$n"; extra="$extra ${!va:-}"
  rm -f "$W/con" "$W/console"; mkfifo "$W/con"
  start=$(now)
  perl -MTime::HiRes=time -e '$|=1; my $s=shift; while (<STDIN>) { s/\r//g; printf "%7.3f %s", time()-$s, $_ }' \
    "$start" < "$W/con" > "$W/console" & RPID=$!
  ip netns exec "$NS" qemu-system-x86_64 -name bench -machine q35 -accel "$accel" -cpu "$cpu" -smp 1 -m 512 \
    -nodefaults -no-user-config -display none -no-reboot -kernel "$K" -initrd "$W/$n.initrd" \
    -append "console=ttyS0 reboot=k panic=1 ${BENCH_QUIET-quiet} ip=10.0.2.2::10.0.2.1:255.255.255.0:bench:eth0:off $extra ${BENCH_APPEND:-}" \
    -serial "file:$W/con" ${BENCH_DIAG:+-serial file:$W/diag} -netdev tap,id=net0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=net0 ${!vq:-} \
    > "$W/qemu.log" 2>&1 &
  QPID=$!
  while [ "$(echo "$(now) - $start < 240" | bc)" = 1 ]; do
    if body=$(ip netns exec "$NS" curl -sf -m 2 "$url" 2>/dev/null); then
      if [ "$n" = floor ] || grep -q '"state" *: *"running"' <<< "$body"; then
        t=$(echo "$(now) - $start" | bc)
        # QEMU's memory at the first answer: every guest page touched so far (TCG code cache included)
        rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$QPID/status")
        pss=$(awk '/^Pss:/ {print int($2 / 1024)}' "/proc/$QPID/smaps_rollup")
        break
      fi
    fi
    kill -0 "$QPID" 2>/dev/null || break
    sleep 0.05
  done
  kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true; QPID=""
  wait "$RPID" 2>/dev/null || true; RPID=""
  [ -n "$t" ] || { echo "bench-guest: [$n] no answer; console:" >&2; tail -30 "$W/console" >&2; exit 1; }
  mark() { grep -m1 -a "$1" "$W/console" | awk '{print $1}' || true; }
  local ms="" m
  for m in 'C INIT: modules' 'C INIT: agent' 'Handing off' 'kestrel: starting main' 'api listening' 'workload started' 'workload healthy' 'FLOOR: httpd'; do
    local v; v=$(mark "$m"); [ -n "$v" ] && ms="$ms ${m##*: }=$v"
  done
  if [ -n "$keep" ]; then
    cp "$W/console" "$W/console.$n.$(wc -l < "$W/results")"
    [ -f "$W/diag" ] && mv "$W/diag" "$W/diag.$n.$(wc -l < "$W/results")"
  fi
  printf 'bench-guest: [%s] first answer after %.2f s; QEMU RSS %s MB, PSS %s MB; console (s):%s; load %s\n' \
    "$n" "$t" "$rss" "$pss" "$ms" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$n $t $rss" >> "$W/results"
}

: > "$W/results"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq 1 "$runs"); do for n in "${names[@]}"; do boot "$n"; done; done
echo "summary ($accel, $runs runs each, load average before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)):"
for n in "${names[@]}"; do
  awk -v n="$n" '$1 == n {print $2}' "$W/results" | sort -n | awk -v n="$n" '{a[NR]=$1} END {
    m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; s = ""; for (i = 1; i <= NR; i++) s = s sprintf(" %.2f", a[i])
    printf "  %-10s median %.2f s (runs:%s)", n, m, s }'
  awk -v n="$n" '$1 == n {print $3}' "$W/results" | sort -n | awk '{a[NR]=$1} END {
    printf ", QEMU RSS median %d MB\n", NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'
done
fm=$(awk '$1 == "floor" {print $2}' "$W/results" | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
em=$(awk '$1 == "example" {print $2}' "$W/results" | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
bm=$(awk '$1 == "embedded" {print $2}' "$W/results" | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
echo "  example / floor = $(echo "scale=2; $em / $fm" | bc) (target <= 1.5); embedded / floor = $(echo "scale=2; $bm / $fm" | bc)"
