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
# Short-lived CLIs start faster with the client compiler and serial GC; the daemon keeps the defaults.
# sqlite-jdbc loads its native library; say so instead of letting the JDK warn on every start.
opts=(--enable-native-access=ALL-UNNAMED)
case "$module" in
  volar|fledge) opts+=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto) ;;
esac
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" "${opts[@]}" ${VOLANT_JAVA_OPTS:-} -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
