# Sourced by the scripts in bin/ and .ci/: points JAVA_HOME at a JDK 25 or newer.
# Keeps a JAVA_HOME that already is one; otherwise looks in the usual install places.
jackdaw_java_ok() {
  [ -x "$1/bin/java" ] || return 1
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}
if [ -z "${JAVA_HOME:-}" ] || ! jackdaw_java_ok "$JAVA_HOME"; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if jackdaw_java_ok "$candidate"; then export JAVA_HOME="$candidate"; break; fi
  done
fi
if ! jackdaw_java_ok "${JAVA_HOME:-}"; then
  echo "Jackdaw needs a JDK 25 or newer: set JAVA_HOME to one." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
# The server's JVM flags (docs/architecture.md, "JVM"); JACKDAW_JVM_OPTS replaces them.
JACKDAW_DEFAULT_JVM_OPTS="--enable-native-access=ALL-UNNAMED -XX:+UseCompactObjectHeaders -XX:+UseG1GC -XX:G1HeapRegionSize=2m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
export JACKDAW_DEFAULT_JVM_OPTS
# Builds target/jackdaw.jar when it is missing or older than the sources (the scripts in bin/ run it).
jackdaw_ensure_jar() {
  local root="$1" jar="$1/target/jackdaw.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "Building Jackdaw..." >&2
    (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
  fi
}
