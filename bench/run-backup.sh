#!/usr/bin/env bash
# The backup benchmark in one command (see bench/README.md, "Backups"):
#   bash bench/run-backup.sh
# Builds the bench (Maven profile "bench"), then runs io.pgrunbooks.bench.BackupBench: a cached
# PostgreSQL cluster with a ~1.4 GB database (generated the first time, a few minutes; kept under
# bench/target/backup-bench/pg), an s3proxy JVM, and four ways to back the database up, interleaved;
# then the cipher alone against openssl. Results on stdout and in bench/results/backup-latest.md.
# Every process it starts is stopped at the end (or on Ctrl-C); temporary files are removed.
# Knobs: BENCH_BACKUP_RUNS (3), BENCH_CIPHER_RUNS (5), BENCH_CIPHER_MIB (512).
# BENCH_BACKUP_RUNS=0 only prepares the database. Remove bench/target/backup-bench/pg to generate it again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk

# /usr/bin/time -v measures each process's peak RSS; openssl is variant 2's and the cipher's reference.
ensure_bench_tools

say "building (./mvnw -Pbench -pl bench -am install -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am install -DskipTests

say "running the backup benchmark (about 12 minutes; 4 more the first time, to generate the database)"
exec "$JAVA_HOME/bin/java" -Xmx512m -XX:-UsePerfData \
  -Dbench.root="$PWD" \
  -Dbench.backup.runs="${BENCH_BACKUP_RUNS:-3}" -Dbench.cipher.runs="${BENCH_CIPHER_RUNS:-5}" \
  -Dbench.cipher.mib="${BENCH_CIPHER_MIB:-512}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.BackupBench
