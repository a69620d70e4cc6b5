#!/usr/bin/env bash
# Reproducible benchmarks; results go to stdout (paste into docs/benchmarks.md with the date and machine).
#   scripts/bench.sh control-plane [replicas=1000] [creates=300] [lists=300] [warmup=1000]
#       real bin/volantd (simulated backend, SQLite in a temp dir) measured over loopback HTTP
#   scripts/bench.sh jmh [jmh args...]      micro benchmarks (manifest normalize/validate, guest encoding, decode)
#   scripts/bench.sh guest [--runs N]       example initramfs size + busybox floor vs example (agent disk) vs example with
#                                           the agent embedded, time-to-HTTP (QEMU, root)
#   scripts/bench.sh cli [runs=10]          volar/fledge start-up, median, with and without the AOT cache
#   scripts/bench.sh template               example cold boots vs clones of a template: start time and PSS (QEMU, root)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
what=${1:-control-plane}; shift || true
[ "$what" = guest ] && exec "$root/scripts/bench-guest.sh" "$@"
[ "$what" = cli ] && exec "$root/scripts/bench-cli.sh" "$@"
[ "$what" = template ] && exec "$root/scripts/bench-template.sh" "$@"
[ -f "$root/volantd/target/volantd.jar" ] && [ -f "$root/bench/target/bench.jar" ] || "$root/scripts/build.sh" >/dev/null
cp="$root/bench/target/bench.jar:$root/bench/target/lib/*"
echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1) -->"
case "$what" in
  control-plane) exec "$JAVA_HOME/bin/java" -cp "$cp" io.volant.bench.ControlPlaneBench "$root" "$@" ;;
  jmh) [ $# -gt 0 ] || set -- -wi 3 -i 5
       exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main -f 1 "$@" ;;
  *) echo "usage: scripts/bench.sh control-plane|jmh|guest|template|cli [args]" >&2; exit 2 ;;
esac
