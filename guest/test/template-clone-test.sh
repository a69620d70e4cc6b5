#!/usr/bin/env bash
# Template and clones of the real agent (the guest side of the identity protocol, docs/kestrel.md "Template mode").
# Boots the example (busybox httpd workload, a CGI reporting hostname, uuid, urandom, clock, MAC) with
# volant.template=1, its RAM a shared file in /dev/shm and the io.volant.identity virtio-serial port; waits for
# {"type":"warm"}, saves the device state only (QMP, x-ignore-shared), quits the template; then starts two clones
# on the same RAM file copy-on-write (share=off, -incoming defer), resumes each and sends it its own identity
# (clone 2 gets a bad line first, which must be answered with "failed") and answers its time requests. Checks that each clone answers /healthz
# "running" on its own IP with its own MAC, that its hostname is its name, that the two read different
# /proc/sys/kernel/random/uuid and /dev/urandom values, that its clock came from the time exchange and is within
# 1 s of the host's. The agent comes, as under volantd, from the read-only agent image (a virtio-blk disk with serial
# volant-agent, the same device in the template and its clones; docs/guest.md "Agent image"), not the initramfs.
#
# Usage: guest/test/template-clone-test.sh [--console]   (root; qemu-system-x86, python3, curl; ~1-3 min under TCG)
#   --console  the identity channel is a virtio console (virtconsole: the guest's /dev/hvc0), as Cloud Hypervisor
#              provides it, instead of the named port io.volant.identity
# Env: AGENT_BUNDLE (default build/agent-bundle), VOLANT_QEMU_ACCEL=kvm, KEEP=1 keeps the work directory.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/guest-lib.sh"
[ "$(id -u)" = 0 ] || { echo "template-clone-test: needs root (netns, tap)" >&2; exit 1; }
port=virtserialport,bus=vser0.0,chardev=ident0,name=io.volant.identity
[ "${1:-}" = --console ] && port=virtconsole,bus=vser0.0,chardev=ident0
guest_agent_inputs "$root"

W=$(mktemp -d /tmp/volant-template-test.XXXXXX)
NS="vgtpl$$"
RAM="/dev/shm/volant-tpltest$$.ram"
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null || true; fi
  done
  ip netns del "$NS" 2>/dev/null || true
  rm -f "$RAM"
  if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
fail() { echo "template-clone-test: FAIL: $*" >&2; for c in "$W"/*.console; do echo "--- $c" >&2; tail -25 "$c" >&2; done; exit 1; }
log() { echo "template-clone-test: $*"; }

# One bridge for all: the clones must be told apart by their own IP and MAC on one segment.
guest_netns_tap "$NS"
ip netns exec "$NS" ip addr flush dev tap0
ip netns exec "$NS" ip link add br0 type bridge
ip netns exec "$NS" ip addr add 10.0.2.1/24 dev br0
ip netns exec "$NS" ip link set br0 up
for t in tap0 tapc1 tapc2; do
  [ "$t" = tap0 ] || ip netns exec "$NS" ip tuntap add dev "$t" mode tap
  ip netns exec "$NS" ip link set "$t" master br0 up
done

json='{"schema_version":"1.0","name":"tpl","version":"0.1.0","runtime":"tpl","initramfs":{"url":"file:///tpl.cpio.gz"},"resources":{"cpu_cores":1,"memory_mb":512},"workload":{"type":"http","entrypoint":["/bin/busybox","httpd","-f","-p","80","-h","/www"],"base_url":"http://127.0.0.1:80","workdir":"/","env":{}},"health_check":{"endpoint":"/","timeout_ms":10000}}'
manifest=$(guest_manifest_arg "$json")
mkdir -p "$W/plugin/www/cgi-bin"; echo workload > "$W/plugin/www/index.html"
cat > "$W/plugin/www/cgi-bin/id" <<'CGI'
#!/bin/sh
echo "Content-Type: text/plain"
echo
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "uuid=$(cat /proc/sys/kernel/random/uuid)"
echo "urandom=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "mac=$(cat /sys/class/net/eth0/address)"
echo "clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "time=$(adjtimex | awk '/tv_sec/ {s = $2} /tv_usec/ {printf "%d.%06d", s, $2}')"
CGI
chmod 0755 "$W/plugin/www/cgi-bin/id"
guest_cpio "$W/plugin" "$W/plugin.cpio.gz"
AGENT_BUNDLE="$bundle" "$root/scripts/build-base-initramfs.sh" "$W/base.cpio.gz" --no-agent >/dev/null
"$root/scripts/build-agent-image.sh" "$bundle" "$W/agent.img" >/dev/null
cat "$root/build/kernel/modules.cpio.gz" "$W/base.cpio.gz" "$W/plugin.cpio.gz" > "$W/initrd"

# The guest-visible device set and argv are the template's for every clone; only host-side backends differ.
qemu() { # $1 name, $2 share=on|off, $3 tap, rest: extra args
  local name=$1 share=$2 tap=$3; shift 3
  ip netns exec "$NS" qemu-system-x86_64 -name tpl -machine q35,memory-backend=mem -accel "$accel" -cpu "$cpu" \
    -smp 1 -m 512 -object memory-backend-file,id=mem,size=512M,mem-path="$RAM",share="$share" \
    -nodefaults -no-user-config -display none -no-reboot -kernel "$K" -initrd "$W/initrd" \
    -append "console=ttyS0 reboot=k panic=1 quiet volant.boot=initramfs volant.manifest=$manifest volant.template=1" \
    -serial "file:$W/$name.console" -qmp "unix:$W/$name.qmp,server=on,wait=off" \
    -netdev tap,id=net0,ifname="$tap",script=no,downscript=no -device virtio-net-pci,netdev=net0,mac=52:54:00:00:00:fe \
    -device virtio-serial-pci,id=vser0 -chardev socket,id=ident0,path="$W/$name.ident",server=on,wait=off \
    -device "$port" -drive file="$W/agent.img",if=none,id=agent,format=raw,readonly=on \
    -device virtio-blk-pci,drive=agent,serial=volant-agent "$@" > "$W/$name.qemu.log" 2>&1 &
  pids+=($!)
}

# Template: boot to warm, save the device state, quit.
qemu template on tap0
warm=$(python3 "$here/template_host.py" template "$W/template.ident" "$W/template.qmp" "$W/state" 300) ||
  fail "template never reported warm"
log "template warm after ${warm} s (QEMU start to {\"type\":\"warm\"}), device state $(stat -c %s "$W/state") bytes"
wait "${pids[0]}" 2>/dev/null || true
grep -q 'guest network configured.*eth0' "$W/template.console" && fail "the template configured eth0"
grep -q 'C INIT: agent: /dev/vd[a-z] (serial volant-agent) on /opt/volant/agent' "$W/template.console" ||
  fail "the template did not mount the agent disk"

declare -A ip mac
for i in 1 2; do
  ip[$i]=10.0.2.1$i mac[$i]=52:54:00:12:34:0$i
  qemu "clone$i" off "tapc$i" -incoming defer
  cmdline="console=ttyS0 reboot=k panic=1 quiet ip=${ip[$i]}::10.0.2.1:255.255.255.0:clone-$i:eth0:off volant.boot=initramfs volant.manifest=$manifest"
  bad=""; [ "$i" = 2 ] && bad='{"type":"identity","cmdline":"x","mac":"zz"}'
  applied=$(python3 "$here/template_host.py" clone "$W/clone$i.ident" "$W/clone$i.qmp" "$W/state" 120 \
    "$cmdline" "${mac[$i]}" "clone-$i" $bad 2> "$W/clone$i.host.log") || fail "clone $i: $(cat "$W/clone$i.host.log")"
  [ -z "$bad" ] || grep -q 'bad line answered: mac "zz"' "$W/clone$i.host.log" || fail "clone $i: bad line not rejected"
  log "clone $i: identity applied ${applied} s after resume"
  for _ in $(seq 1 50); do grep -q 'kestrel: identity applied hostname=clone-'"$i" "$W/clone$i.console" && break; sleep 0.1; done
  grep -q 'kestrel: identity applied hostname=clone-'"$i" "$W/clone$i.console" || fail "clone $i: kestrel did not log it"
  # The clock comes from the round-trip exchange, not from the identity's send time (the fallback).
  exchange=$(grep -o 'kestrel: time exchange samples=[0-9]* rtt_ms=[0-9]*' "$W/clone$i.console") ||
    fail "clone $i: no clock exchange (kestrel fell back to the identity's time)"
  log "clone $i: ${exchange#kestrel: }"
done

declare -A uuid rnd
for i in 1 2; do
  body=""
  for _ in $(seq 1 600); do
    body=$(ip netns exec "$NS" curl -sf -m 2 "http://${ip[$i]}:8080/healthz" || true)
    grep -q '"state" *: *"running"' <<< "$body" && break
    sleep 0.2
  done
  grep -q '"state" *: *"running"' <<< "$body" || fail "clone $i: no running /healthz on ${ip[$i]}"
  before=$(date +%s.%N)
  info=$(ip netns exec "$NS" curl -sf -m 10 "http://${ip[$i]}:8080/v1/cgi-bin/id") || fail "clone $i: CGI via the agent failed"
  after=$(date +%s.%N)
  field() { sed -n "s/^$1=//p" <<< "$info" | tr -d '\r'; }
  [ "$(field hostname)" = "clone-$i" ] || fail "clone $i: hostname $(field hostname)"
  [ "$(field mac)" = "${mac[$i]}" ] || fail "clone $i: eth0 has MAC $(field mac)"
  neigh=$(ip netns exec "$NS" ip neigh show "${ip[$i]}" dev br0 | awk '{print $3}')
  [ "$neigh" = "${mac[$i]}" ] || fail "clone $i: ${ip[$i]} answers from MAC '$neigh'"
  # The guest read its clock while the host waited for the answer: within 1 s of [before, after].
  t=$(field time)
  [ "$(echo "$t >= $before - 1 && $t <= $after + 1" | bc)" = 1 ] ||
    fail "clone $i: guest clock $t, host $before..$after: $info"
  skew=$(echo "$t - $before" | bc)
  uuid[$i]=$(field uuid) rnd[$i]=$(field urandom)
  log "clone $i: /healthz running on ${ip[$i]} (MAC $neigh), hostname clone-$i, guest clock - host before the request = ${skew} s (the request took $(echo "$after - $before" | bc) s; $(field clocksource)), uuid ${uuid[$i]}"
done
[ "${uuid[1]}" != "${uuid[2]}" ] || fail "both clones read uuid ${uuid[1]}"
[ "${rnd[1]}" != "${rnd[2]}" ] || fail "both clones read /dev/urandom ${rnd[1]}"
[ "$port" = "${port#virtconsole}" ] || grep -q "kestrel: identity over the virtio console device=/dev/hvc0" "$W/template.console" ||
  fail "kestrel did not use /dev/hvc0"
log "PASS ($port): 2 clones of one template, own IP/MAC/hostname, distinct randomness, clocks within 1 s"
