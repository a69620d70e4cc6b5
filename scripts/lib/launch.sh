#!/usr/bin/env bash
# Shared launcher behind bin/volantd, bin/volar and bin/fledge: launch.sh <module> <main-class> [args...]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
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
  volar|fledge) opts+=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto) ;;
  volantd) [[ "${VOLANT_JAVA_OPTS:-}" == *GC* ]] || opts+=(-XX:+UseZGC) ;;
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
