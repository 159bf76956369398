#!/usr/bin/env bash
# The point-in-time recovery benchmark in one command (see bench/README.md, "Point-in-time recovery"):
#   bash bench/run-pitr.sh
# Builds the worker and API jars and the bench (Maven profile "bench", package only: nothing is
# installed into ~/.m2), then runs io.pgrunbooks.bench.PitrBench: a PostgreSQL cluster archiving
# into a pgBackRest stanza (both in temp directories, removed at the end), the Temporal dev server,
# the worker and the API on loopback; RecoverToPointInTime against the same recovery by hand,
# interleaved. Results on stdout and in bench/results/pitr-latest.md.
# Knobs: BENCH_PITR_RUNS (6), BENCH_PITR_WARMUPS (1), BENCH_PITR_MIB (1024: size of the table
# generated before the backup). Maven options (e.g. -o) through MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk
ensure_temporal_cli

say "building (./mvnw -Pbench -pl bench -am package -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am package -DskipTests

rm -rf bench/target/logs  # worker and API logs of this run only
say "running the PITR benchmark (about 10 minutes with the defaults)"
exec "$JAVA_HOME/bin/java" -Xmx512m \
  -Dbench.root="$PWD" \
  -Dbench.pitr.runs="${BENCH_PITR_RUNS:-6}" -Dbench.pitr.warmups="${BENCH_PITR_WARMUPS:-1}" \
  -Dbench.pitr.mib="${BENCH_PITR_MIB:-1024}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.PitrBench
