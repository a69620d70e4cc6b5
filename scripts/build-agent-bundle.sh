#!/usr/bin/env bash
# Builds the agent bundle (plugins-and-guest.md §2.14): kestrel's jars on a jlink-ed Java runtime with its own
# dynamic loader and C libraries, so it runs in a busybox-only initramfs and on any rootfs, plus an AOT cache
# (JDK 25, JEP 483/514) recorded by a training run of kestrel on this host. Guest path: /opt/volant/agent.
#
# Usage: scripts/build-agent-bundle.sh [outdir]        (default <repo>/build/agent-bundle)
# Env:   AOT=0                 skip the training run (no AOT cache; the runtime keeps jlink's default CDS archive)
#        KESTREL_TARGET=<dir>  where kestrel.jar and lib/*.jar are (default <repo>/kestrel/target; built when absent)
#        EXTRA_MODULES=a,b     JDK modules to add to what jdeps finds
#        AOT_TRAIN_OPTS="..."  extra JVM options for the training run only (experiments)
# Output: <outdir>/ = the tree that goes to /opt/volant/agent in the guest, and <outdir>.tar.gz = the same with
#         the opt/volant/agent/ prefix (sorted, 0:0, mtime SOURCE_DATE_EPOCH, gzip -n). Contract: docs/guest.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/guest-lib.sh"
. "$root/scripts/lib/jdk.sh"
out=${1:-$root/build/agent-bundle}
mkdir -p "$(dirname "$out")"
out=$(readlink -f "$out")
target=${KESTREL_TARGET:-$root/kestrel/target}
GUEST_DIR=/opt/volant/agent

if [ ! -f "$target/kestrel.jar" ]; then
  (cd "$root" && mvn -B -q -ntp -pl kestrel -am install -DskipTests)
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
B="$tmp/bundle"
mkdir -p "$B/app/lib" "$B/lib" "$B/bin"
cp "$target/kestrel.jar" "$B/app/"
cp "$target"/lib/*.jar "$B/app/lib/" 2>/dev/null || true

# JDK modules: what jdeps finds in Volant's own jars, plus the mandatory requirements of the libraries. Jackson
# declares java.desktop, java.sql and java.xml as `requires static` (optional, probed at run time), so they are
# dropped for third-party jars; jackson-databind needs java.logging.
own=("$B/app/kestrel.jar"); third=()
for j in "$B"/app/lib/*.jar; do
  [ -e "$j" ] || continue
  case "$(basename "$j")" in volant-*) own+=("$j") ;; *) third+=("$j") ;; esac
done
deps() { jdeps --print-module-deps --no-recursive --ignore-missing-deps --multi-release 25 --class-path "$B/app/lib/*" "$@" 2>/dev/null | tail -1; }
mods=$(deps "${own[@]}")
if [ ${#third[@]} -gt 0 ]; then
  mods="$mods,$(deps "${third[@]}" | tr ',' '\n' | grep -vxE 'java\.desktop|java\.sql|java\.xml' | paste -sd,)"
  ls "$B"/app/lib/jackson-databind-*.jar >/dev/null 2>&1 && mods="$mods,java.logging"
fi
mods=$(echo "java.base,$mods,${EXTRA_MODULES:-}" | tr ',' '\n' | sed '/^$/d' | LC_ALL=C sort -u | paste -sd,)
guest_log "jlink modules: $mods"

# zip-0: the initramfs is gzip-compressed as a whole, which shrinks an uncompressed jimage better than jlink's
# per-resource zip (measured 8.6 MB vs 12.1 MB gzipped) and class loading skips the inflate.
cds=()
[ "${AOT:-1}" = 0 ] && cds=(--generate-cds-archive)
# Excluded from the image: the launcher's translations (kestrel's `java -jar` runs without a locale).
jlink --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=zip-0 "${cds[@]}" \
      --exclude-resources='/java.base/sun/launcher/resources/launcher_*' \
      --output "$B/runtime" >/dev/null
rm -rf "$B/runtime/legal" "$B/runtime/lib/server/classes_nocoops.jsa" # nocoops = heaps > 32 GB only
# Files kestrel never uses: other launchers (keytool, jwebserver), jlink's class list (CDS dumps at build time
# only), the jrt file system for other JDKs, jexec, the
# signal-chaining library, SDP and policy templates, and the AVX-512 sort library (optional: without it the JVM
# sorts in Java).
rm -f "$B"/runtime/bin/keytool "$B"/runtime/bin/jwebserver "$B"/runtime/lib/classlist "$B"/runtime/lib/jrt-fs.jar \
      "$B"/runtime/lib/jexec "$B"/runtime/lib/libjsig.so "$B"/runtime/lib/server/libjsig.so \
      "$B"/runtime/lib/libsimdsort.so "$B"/runtime/conf/security/policy/README.txt
rm -rf "$B"/runtime/conf/sdp

# The C libraries of java and libjvm from this host, and the dynamic loader that runs them (no glibc needed in
# the guest). java is started through the loader, so nothing depends on the guest's /lib or on LD_LIBRARY_PATH.
for f in "$B/runtime/bin/java" "$B"/runtime/lib/*.so "$B/runtime/lib/server/libjvm.so"; do ldd "$f"; done |
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | LC_ALL=C sort -u |
  while read -r lib; do
    case "$lib" in "$B"/*) continue ;; esac
    cp -L "$lib" "$B/lib/$(basename "$lib")"
  done
find "$B/runtime" "$B/lib" -name '*.so*' -exec strip --strip-unneeded {} + 2>/dev/null || true
strip --strip-unneeded "$B/runtime/bin/java" 2>/dev/null || true
ld=$(basename "$(ls "$B"/lib/ld-linux*)")
# The JDK starts processes through jspawnhelper (posix_spawn: no copy of the JVM's page tables, unlike FORK, which
# cost a clone ~100 ms per `ip` command under TCG). It is exec'd directly, so it carries the bundle's loader and
# library directory itself: a busybox image has no /lib64/ld-linux-x86-64.so.2.
command -v patchelf >/dev/null || { guest_log "patchelf missing (scripts/install-deps.sh installs it)"; exit 1; }
patchelf --set-interpreter "$GUEST_DIR/lib/$ld" --set-rpath "$GUEST_DIR/lib" "$B/runtime/lib/jspawnhelper"

# CompileThresholdScaling=20: fewer JIT compilations during start-up; in an emulated (TCG) guest freshly generated
# code must be translated again by QEMU, and this cut QEMU start -> /healthz running from 22.2 s to 16.2 s (C1 still
# compiles hot code later; -Xint measured 17.1 s). See docs/benchmarks.md.
# useNativeAccessorOnly: core reflection (Jackson building the manifest records, up to 19 constructor arguments)
# calls through the VM instead of spinning method-handle classes (LambdaForms, BoundMethodHandle species) for each
# new signature; none of those are in an AOT cache, and spinning them took ~3 s of a TCG guest's start.
jvm_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:-UsePerfData -Xss512k -Xmx96m
          -Djdk.reflect.useNativeAccessorOnly=true
          --enable-native-access=ALL-UNNAMED)
write_argv() { # $@ = extra JVM options
  {
    printf '%s\n' "$GUEST_DIR/lib/$ld" --library-path "$GUEST_DIR/lib" "$GUEST_DIR/runtime/bin/java"
    printf '%s\n' "${jvm_opts[@]}" "$@" -jar "$GUEST_DIR/app/kestrel.jar"
  } > "$B/kestrel.argv"
}
write_argv
cat > "$B/bin/kestrel" <<EOF
#!/bin/sh
# Starts kestrel like the init does (argv = the lines of kestrel.argv), for manual use where a shell exists.
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done < $GUEST_DIR/kestrel.argv
exec "\$@"
EOF
chmod 0755 "$B/bin/kestrel"
find "$B" -exec touch -h -d "@$(guest_epoch)" {} +

# Training run: kestrel from the bundle at its guest path, in private mount, network and UTS namespaces, with a
# busybox httpd workload; the JVM writes the AOT cache when kestrel exits after SIGTERM. It runs kestrel's guest
# duties as in a VM (command line with a static ip= token, lo down and an eth0 to configure through `ip`, an unset
# hostname, an empty resolv.conf, the vsock listener), so the classes of that path are in the cache too: trained
# without them (volant_AGENT_GUEST=false) the guest spent seconds loading and linking them. Nothing reaches the
# host: the netns holds eth0 (a veth pair), resolv.conf and /run are private to the mount namespace, and the host's
# dbus-daemon, if any, is hidden (a FIFO bound over it) so no daemon is started. Jar and runtime mtimes must match
# the guest's, hence the touch.
if [ "${AOT:-1}" != 0 ]; then
  mkdir -p "$tmp/www"; echo training > "$tmp/www/index.html"
  json='{"schema_version":"1.0","name":"aot-training","version":"0.1.0","runtime":"aot-training","initramfs":{"url":"file:///dev/null"},"resources":{"cpu_cores":1,"memory_mb":256},"workload":{"type":"http","entrypoint":["/bin/busybox","httpd","-f","-p","127.0.0.1:9000","-h","'"$tmp/www"'"],"base_url":"http://127.0.0.1:9000","workdir":"/","env":{}},"health_check":{"endpoint":"/","timeout_ms":10000},"actions":{"ping":{"description":"ping","method":"GET","path":"/index.html","timeout_ms":5000}}}'
  manifest=$(guest_manifest_arg "$json")
  echo "console=ttyS0 quiet ip=10.0.2.2::10.0.2.1:255.255.255.0:train:eth0:off volant.boot=initramfs" > "$tmp/cmdline"
  : > "$tmp/resolv.conf"; mkfifo "$tmp/nodbus"
  cat > "$tmp/train.sh" <<EOF
set -u
mount --make-rprivate /
mount -t tmpfs tmpfs /opt && mkdir -p $GUEST_DIR && mount --bind "$B" $GUEST_DIR
mount -t tmpfs tmpfs /run
[ -e /usr/bin/dbus-daemon ] && mount --bind $tmp/nodbus /usr/bin/dbus-daemon
[ -e /etc/resolv.conf ] && mount --bind $tmp/resolv.conf /etc/resolv.conf
echo '(none)' > /proc/sys/kernel/hostname
ip link add eth0 type veth peer name eth1 && ip link set eth1 up
# The training keeps the default JIT thresholds so it records the method profiles the cache carries (trained with
# CompileThresholdScaling=20 the guest start measured 21-23 s instead of 16 s).
args=(); while IFS= read -r a; do case "\$a" in -XX:CompileThresholdScaling=*) ;; *) args+=("\$a") ;; esac; done < $GUEST_DIR/kestrel.argv
out=$tmp/kestrel.aot
env -i PATH=/usr/bin:/bin VOLANT_MANIFEST=$manifest volant_AGENT_LISTEN_ADDR=:8080 volant_AGENT_ENABLE_SHELL=false \
    volant_AGENT_GUEST=true volant_AGENT_CMDLINE=$tmp/cmdline volant_AGENT_VSOCK_PORT=\$((40000 + \$\$ % 20000)) \
    "\${args[@]:0:\$((\${#args[@]}-2))}" ${AOT_TRAIN_OPTS:-} -XX:AOTCacheOutput=\$out "\${args[@]: -2}" > $tmp/train.log 2>&1 &
pid=\$!
for i in \$(seq 1 300); do
  curl -sf -m 2 http://127.0.0.1:8080/healthz | grep -q '"running"' && break
  kill -0 \$pid 2>/dev/null || break
  sleep 0.1
done
for i in 1 2 3 4 5 6 7 8 9 10; do
  curl -s -m 2 -o /dev/null http://127.0.0.1:8080/healthz
  curl -s -m 2 -o /dev/null http://10.0.2.2:8080/healthz
  curl -s -m 2 -o /dev/null http://127.0.0.1:8080/v1/index.html
  curl -s -m 2 -o /dev/null -X GET http://127.0.0.1:8080/v1/ping
  curl -s -m 2 -o /dev/null http://127.0.0.1:8080/v1/logs
  curl -s -m 2 -o /dev/null http://127.0.0.1:8080/nope
done
kill -TERM \$pid 2>/dev/null
for i in \$(seq 1 300); do kill -0 \$pid 2>/dev/null || break; sleep 0.1; done
kill -KILL \$pid 2>/dev/null
wait \$pid; echo "training: kestrel exit status \$?" >> $tmp/train.log
EOF
  rc=0; unshare --mount --net --uts --fork bash "$tmp/train.sh" || rc=$?
  if [ -s "$tmp/kestrel.aot" ]; then
    cp "$tmp/kestrel.aot" "$B/kestrel.aot"
    write_argv "-XX:AOTCache=$GUEST_DIR/kestrel.aot"
    guest_log "AOT cache: $(stat -c %s "$B/kestrel.aot") bytes; $(grep -c "^" "$tmp/train.log") log lines, $(tail -1 "$tmp/train.log")"
  else
    guest_log "WARNING: the training run produced no AOT cache (exit status $rc); bundle without it. Log:"
    tail -20 "$tmp/train.log" >&2
  fi
  find "$B" -exec touch -h -d "@$(guest_epoch)" {} +
fi

rm -rf "$out" "$out.tar.gz"
[ -f "$tmp/train.log" ] && cp "$tmp/train.log" "$out.training.log"
mkdir -p "$(dirname "$out")"
cp -a "$B" "$out"
mkdir -p "$tmp/tar$GUEST_DIR"; cp -a "$B/." "$tmp/tar$GUEST_DIR/"
find "$tmp/tar" -type d -exec touch -h -d "@$(guest_epoch)" {} +
guest_tar "$tmp/tar" "$out.tar.gz"
echo "agent bundle:   $out ($(du -sb "$out" | cut -f1) bytes uncompressed)"
echo "bundle archive: $out.tar.gz ($(stat -c %s "$out.tar.gz") bytes, gzip -9)"
echo "modules:        $mods"
