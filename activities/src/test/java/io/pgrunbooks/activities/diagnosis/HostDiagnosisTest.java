package io.pgrunbooks.activities.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a host server logs, and reading the end of it. */
class HostDiagnosisTest {
  @TempDir Path dir;

  @Test
  void withTheLoggingCollectorTheFileCurrentLogfilesNamesIsRead() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path log = Files.createDirectories(data.resolve("pg_log")).resolve("postgresql-2026-11-29.log");
    Files.writeString(log, "ERROR: x\n");
    Files.writeString(data.resolve("current_logfiles"), "stderr pg_log/postgresql-2026-11-29.log\ncsvlog pg_log/postgresql.csv\n");

    assertThat(new HostDiagnosis(dir.resolve("proc")).logFile(data)).contains(log);
  }

  @Test
  void withoutItThePostmastersStderrFileIsRead() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("postmaster.pid"), "4242\n" + data + "\n");
    Path serverLog = Files.writeString(dir.resolve("server.log"), "LOG: ready\n");
    Path fd = Files.createDirectories(dir.resolve("proc/4242/fd"));
    Files.createSymbolicLink(fd.resolve("2"), serverLog);

    assertThat(new HostDiagnosis(dir.resolve("proc")).logFile(data)).contains(serverLog);
  }

  @Test
  void elseTheNewestFileOfTheDefaultLogDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path logs = Files.createDirectories(data.resolve("log"));
    Path old = Files.writeString(logs.resolve("postgresql-Mon.log"), "old\n");
    Path newest = Files.writeString(logs.resolve("postgresql-Tue.log"), "new\n");
    Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2026-11-23T00:00:00Z")));
    Files.setLastModifiedTime(newest, FileTime.from(Instant.parse("2026-11-24T00:00:00Z")));

    assertThat(new HostDiagnosis(dir.resolve("proc")).logFile(data)).contains(newest);
    assertThat(new HostDiagnosis(dir.resolve("proc")).logFile(Files.createDirectories(dir.resolve("empty")))).isEmpty();
  }

  @Test
  void theTailIsTheLastLinesOfTheLastMebibyteWithoutACutFirstLine() throws Exception {
    String line = "x".repeat(99) + "\n"; // 100 bytes a line: 15000 lines, 1.5 MB
    Path file = Files.writeString(dir.resolve("big.log"),
        IntStream.range(0, 15_000).mapToObj(i -> String.format("%05d", i) + line.substring(5)).collect(Collectors.joining()));

    String last3 = HostDiagnosis.tail(file, 3);
    String all = HostDiagnosis.tail(file, 1_000_000);

    assertThat(last3.lines()).extracting(l -> l.substring(0, 5)).containsExactly("14997", "14998", "14999");
    assertThat(all.lines()).allSatisfy(l -> assertThat(l).hasSize(99));
    assertThat(all.lines().count()).isEqualTo((HostDiagnosis.LOG_TAIL_BYTES / 100));
  }
}
