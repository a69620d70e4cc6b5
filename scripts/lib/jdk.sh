# Sourced by every Volant script and launcher: exports JAVA_HOME pointing at a JDK >= 25.
# Order: $VOLANT_JAVA_HOME, $JAVA_HOME (if >= 25), Temurin 25 under /usr/lib/jvm, any other JDK >= 25 there.
volant_java_major() { # $1 = JDK home; prints its feature version or nothing
  local rel="$1/release" v line
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$rel" ]; then
    # bash only, no sed process: every CLI start sources this file
    while IFS= read -r line; do
      [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]] && { v=${BASH_REMATCH[1]}; break; }
    done < "$rel"
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  echo "$v"
}
volant_find_jdk() {
  local c v
  for c in "${VOLANT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v=$(volant_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "$c/bin/javac" -o -x "$c/bin/java" ]; then
      echo "$c"; return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(volant_find_jdk); then
  echo "volant: no JDK 25 or newer found (looked at \$VOLANT_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/*); run scripts/install-deps.sh" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
