package io.pgrunbooks.activities.serverfiles;

import static io.pgrunbooks.activities.serverfiles.ScriptedPod.DATA;
import static io.pgrunbooks.activities.serverfiles.ScriptedPod.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.FileInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The old-log rules, over a pod shell whose exec is scripted (the host runs the same commands for real in the scenarios' tests). */
class OldLogFilesTest {
  private static final String LOG = DATA + "/log";
  private static final Instant NOW = Instant.now();
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(7));
  private static final LogSettings SETTINGS =
      LogSettings.of(DATA, "log", "postgresql-%Y-%m-%d_%H%M%S.log", "on", "log/postgresql-2026-11-29_000000.log");

  private static String listing() {
    return line("postgresql-2026-10-01_000000.log", 100, 30) + line("postgresql-2026-10-02_000000.csv", 200, 20)
        + line("postgresql-2026-11-27_000000.log", 300, 2) + line("notes.txt", 12, 40) + line("postgresql 2026.log", 5, 25)
        + line("postgresql-2026-11-29_000000.log", 400, 10);
  }

  private static String line(String name, long bytes, int daysOld) {
    return LOG + "/" + name + "|" + bytes + "|" + NOW.minus(Duration.ofDays(daysOld)).getEpochSecond() + "\n";
  }

  @Test
  void onlyOldFilesOfTheServersPatternAreListedNeverTheCurrentNorTheNewest() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(0, listing(), ""));
    OldLogFiles.Listing found = OldLogFiles.find(pod.shell, TARGET, SETTINGS, CUTOFF);
    assertThat(found.directory()).isEqualTo(LOG);
    assertThat(found.old()).extracting(FileInfo::name)
        .as("oldest first; the current file (pg_current_logfile) is kept although its mtime is old")
        .containsExactly("postgresql-2026-10-01_000000.log", "postgresql-2026-10-02_000000.csv");
    assertThat(found.others()).isEqualTo(4);
  }

  @Test
  void withoutTheCurrentFileKnownTheNewestLogIsKeptEvenWhenOld() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(
        0, line("postgresql-2026-10-01_000000.log", 1, 30) + line("postgresql-2026-10-02_000000.log", 1, 20), ""));
    LogSettings down = LogSettings.of(DATA, "log", "postgresql-%Y-%m-%d_%H%M%S.log", "on", null);
    assertThat(OldLogFiles.find(pod.shell, TARGET, down, CUTOFF).old()).extracting(FileInfo::name)
        .containsExactly("postgresql-2026-10-01_000000.log");
  }

  @Test
  void anUnsafeDirectoryIsRefusedBeforeAnyCommand() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(0, "", ""));
    LogSettings inData = LogSettings.of(DATA, ".", "postgresql-%Y.log", "on", null);
    assertThatThrownBy(() -> OldLogFiles.find(pod.shell, TARGET, inData, CUTOFF))
        .isInstanceOf(ApplicationFailure.class).hasMessageContaining("nothing is deleted there");
    assertThatThrownBy(() -> OldLogFiles.delete(pod.shell, TARGET, inData, DATA, List.of("postgresql-2020.log"), CUTOFF))
        .isInstanceOf(ApplicationFailure.class).hasMessageContaining("nothing is deleted there");
    assertThat(pod.sent).isEmpty();
  }

  @Test
  void exactlyTheApprovedFilesAreDeletedEachRecheckedByTheFindThatDeletesIt() {
    ScriptedPod pod = new ScriptedPod(c -> {
      if (!c.contains("-delete")) {
        return new OsCommand.Result(0, listing(), "");
      }
      String name = c.get(c.indexOf("-name") + 1);
      // the .csv was written since the listing: find's -mmin leaves it and prints nothing
      return new OsCommand.Result(0, name.endsWith(".csv") ? "" : LOG + "/" + name + "\n", "");
    });
    OldLogFiles.Deletion deletion = OldLogFiles.delete(pod.shell, TARGET, SETTINGS, LOG,
        List.of("postgresql-2026-10-01_000000.log", "postgresql-2026-10-02_000000.csv", "postgresql-2026-09-01_000000.log",
            "postgresql-2026-11-29_000000.log"), CUTOFF);
    assertThat(deletion.deleted()).containsExactly("postgresql-2026-10-01_000000.log");
    assertThat(deletion.skipped()).containsExactly(
        "postgresql-2026-10-02_000000.csv: written to since it was listed (or not deletable: ), left alone",
        "postgresql-2026-09-01_000000.log: gone already (deleted by an earlier attempt of this step, or by someone else)",
        "postgresql-2026-11-29_000000.log: the server writes it now, left alone");
    long minutes = Duration.between(CUTOFF, Instant.now()).toMinutes();
    assertThat(pod.sent).filteredOn(c -> c.contains("-delete")).containsExactly(
        List.of("find", LOG, "-maxdepth", "1", "-type", "f", "-name", "postgresql-2026-10-01_000000.log", "-mmin", "+" + minutes,
            "-print", "-delete"),
        List.of("find", LOG, "-maxdepth", "1", "-type", "f", "-name", "postgresql-2026-10-02_000000.csv", "-mmin", "+" + minutes,
            "-print", "-delete"));
  }

  @Test
  void aNameNotOfTheServersLogsRefusesTheWholeListBeforeAnythingIsDeleted() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(0, listing(), ""));
    for (String bad : List.of("notes.txt", "../postgresql-2026-10-01_000000.log", "postgresql-*.log")) {
      assertThatThrownBy(() -> OldLogFiles.delete(
          pod.shell, TARGET, SETTINGS, LOG, List.of("postgresql-2026-10-01_000000.log", bad), CUTOFF))
          .as(bad).isInstanceOf(ApplicationFailure.class).hasMessageContaining("is not a server log file name");
    }
    assertThat(pod.sent).isEmpty();
  }

  @Test
  void aLogDirectoryChangedSinceTheApprovalDeletesNothing() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(0, listing(), ""));
    assertThatThrownBy(() -> OldLogFiles.delete(
        pod.shell, TARGET, SETTINGS, "/var/log/postgresql", List.of("postgresql-2026-10-01_000000.log"), CUTOFF))
        .isInstanceOf(ApplicationFailure.class).hasMessageContaining("now " + LOG + ", not the approved /var/log/postgresql");
    assertThat(pod.sent).isEmpty();
  }
}
