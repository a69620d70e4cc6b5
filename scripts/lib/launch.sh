#!/usr/bin/env bash
# Shared launcher behind bin/volantd, bin/volar and bin/fledge: launch.sh <module> <main-class> [args...]
#   VOLANT_AOT=0          run volar/fledge without their AOT cache (benchmarks compare both)
#   VOLANT_AOT_TRAIN=1    build the AOT cache instead of running (scripts/build.sh does this)
set -euo pipefail
# Builtins only on the way to `java` (every fork and exec here is start-up time of each CLI command): bin/* call
# this file by its resolved path, so `cd -P` gives the checkout's real path, as `readlink -f` did.
root=$(cd -P "${BASH_SOURCE[0]%/*}/../.." && pwd)
module=$1 main=$2; shift 2
. "$root/scripts/lib/jdk.sh"
jar="$root/$module/target/$module.jar"
if [ ! -f "$jar" ]; then
  echo "$module: $jar is missing; build first with $root/scripts/build.sh" >&2
  exit 1
fi
# Short-lived CLIs start faster with the client compiler and serial GC. The daemon runs ZGC: G1's 20-30 ms young
# pauses set the API's p99 (GET /api/v1/vms at 1000 VMs: 20-26 ms with G1, 13-17 ms with ZGC; docs/benchmarks.md).
# A collector named in VOLANT_JAVA_OPTS wins (two would make the JVM refuse to start).
# sqlite-jdbc loads its native library; say so instead of letting the JDK warn on every start.
opts=(--enable-native-access=ALL-UNNAMED)
case "$module" in
  volar|fledge)
    # -XX:-UsePerfData: no /tmp/hsperfdata_<user>/<pid> file created and deleted per run (no one attaches jstat to a
    # CLI). Measured with the other candidates (-Xint, -Xss512k, -XX:CICompilerCount=1, -Xms16m): all within the
    # noise of this shared machine; docs/benchmarks.md.
    opts+=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
    # volar's commands live 100-300 ms: with C1's default thresholds the JIT spends most of its CPU on methods run a
    # few hundred times and dropped at exit, and on 2 cores that CPU competes with the command. Ten times the
    # thresholds: `volar version` -17 ms wall, -40 ms CPU; loops that run long still get compiled (docs/benchmarks.md).
    [ "$module" = volar ] && opts+=(-XX:CompileThresholdScaling=10)
    # JDK 25 AOT cache (JEP 483/514/515): classes loaded and linked, method profiles, from a training run of the
    # common commands (docs/volar.md). It is used only when it was made by this JVM from this jar (the stamp);
    # the JVM checks again (class path, JVM build) and quietly runs without it on any mismatch.
    aot="$root/$module/target/$module.aot"
    # The stamp names the JDK that trained the cache and is newer than the jar and the JDK's image when it matches
    # (test builtins: no readlink/stat processes per run).
    stamp="$JAVA_HOME"
    if [ "${VOLANT_AOT_TRAIN:-0}" = 1 ]; then
      case "$module" in volar) trainer=io.volant.volar.aot.Training ;; fledge) trainer=io.volant.fledge.Training ;; esac
      rm -f "$aot" "$aot.stamp"
      # shellcheck disable=SC2086
      if ! "$JAVA_HOME/bin/java" "${opts[@]}" -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
          ${VOLANT_JAVA_OPTS:-} -cp "$jar:$root/$module/target/lib/*" "$trainer" > "$aot.log" 2>&1; then
        cat "$aot.log" >&2
        echo "$module: AOT training failed; the CLI works without the cache" >&2
        rm -f "$aot"
        exit 1
      fi
      echo "$stamp" > "$aot.stamp"
      exit 0
    fi
    trained=""
    [ -f "$aot.stamp" ] && read -r trained < "$aot.stamp" || true
    if [ "${VOLANT_AOT:-1}" != 0 ] && [ -f "$aot" ] && [ "$trained" = "$stamp" ] && [ "$aot.stamp" -nt "$jar" ] \
        && [ "$aot.stamp" -nt "$JAVA_HOME/lib/modules" ]; then
      opts+=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
    else
      opts+=(-Xshare:auto)
    fi
    ;;
  volantd)
    [[ "${VOLANT_JAVA_OPTS:-}" == *GC* ]] || opts+=(-XX:+UseZGC)
    opts+=(-Dvolant.home="$root") # the checkout's build/agent-bundle.img is VOLANT_AGENT_IMAGE's default
    ;;
esac
# A bounded heap by default (a runaway request must not take the host's memory); a -Xmx in VOLANT_JAVA_OPTS wins.
if [[ "${VOLANT_JAVA_OPTS:-}" != *-Xmx* ]]; then
  case "$module" in
    volantd) opts+=(-Xmx1g) ;;
    volar) opts+=(-Xmx256m) ;;
  esac
fi
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" "${opts[@]}" ${VOLANT_JAVA_OPTS:-} -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
