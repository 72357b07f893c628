#!/usr/bin/env bash
# Check the Strimzi resources (Kafka, KafkaNodePool, KafkaTopic) in FILE... against Strimzi's API model
# (StrimziCheck.java). The model's jars come from Maven Central once (pom.xml), cached outside the clone.
# Usage: infra/k8s/strimzi/validate.sh FILE...
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PARLANCE_CACHE_DIR:-$HOME/.cache/parlance}"
VERSION="$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$HERE/pom.xml")"
LIBS="$CACHE/strimzi/$VERSION-$(sha256sum "$HERE/pom.xml" | cut -c1-12)/libs"

if [[ ! -f "$LIBS/.complete" ]]; then
  command -v mvn >/dev/null || { echo "[strimzi] mvn is needed once to fetch Strimzi's model" >&2; exit 1; }
  echo "[strimzi] resolving io.strimzi:api:$VERSION into $LIBS (one-time)" >&2
  rm -rf "$LIBS"
  mkdir -p "$CACHE/strimzi"
  mvn -q -B -f "$HERE/pom.xml" -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS" >"$CACHE/strimzi/mvn.log" 2>&1 \
    || { tail -n 30 "$CACHE/strimzi/mvn.log" >&2; exit 1; }
  touch "$LIBS/.complete"
fi
exec java -Dslf4j.internal.verbosity=ERROR -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$LIBS/*" "$HERE/StrimziCheck.java" "$@"
