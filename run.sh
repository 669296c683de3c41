#!/usr/bin/env bash
# Builds target/metagate.jar when it is missing or older than the sources, then runs it with
# conf/metagate.yaml. `./run.sh token ...` prints a dev-issuer token; other arguments pass through.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/metagate.jar
# One build at a time: a second ./run.sh (say `./run.sh token` in another terminal while the first
# still builds) waits for it instead of compiling into the same target/ and breaking both builds.
mkdir -p target
exec 9>target/.run.lock
if command -v flock >/dev/null; then flock 9; fi
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  mvn -B -q -DskipTests package >&2
fi
# A class-data-sharing archive recorded from `self-test` roughly halves the time to ready.
cds=target/metagate.jsa
if [ ! -f "$cds" ] || [ "$cds" -ot "$jar" ]; then
  echo "recording $cds (class-data sharing, once per build) ..." >&2
  java -XX:ArchiveClassesAtExit="$cds" -jar "$jar" self-test >target/cds.log 2>&1 \
    || { cat target/cds.log >&2; rm -f "$cds"; }
fi
exec 9>&- # built: let the next ./run.sh in
cds_opt=()
[ -f "$cds" ] && cds_opt=(-XX:SharedArchiveFile="$cds" -Xshare:auto)
args=("$@")
has_config=false
for a in "$@"; do case "$a" in --config|--config=*) has_config=true ;; esac; done
if ! $has_config && [ -z "${METAGATE_CONFIG:-}" ]; then
  args+=(--config conf/metagate.yaml)
fi
# Sidecar-sized heap unless JAVA_OPTS says otherwise: cache.maxBytes (256MiB) + ~128MiB.
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx384m}
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java "${cds_opt[@]}" $JAVA_OPTS -jar "$jar" "${args[@]}"
