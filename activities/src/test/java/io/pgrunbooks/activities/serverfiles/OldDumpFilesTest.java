package io.pgrunbooks.activities.serverfiles;

import static io.pgrunbooks.activities.serverfiles.ScriptedPod.DATA;
import static io.pgrunbooks.activities.serverfiles.ScriptedPod.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.OldDumpFiles.Approved;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The old-dump rules over a pod shell whose exec is scripted (fabric8's CRUD mock serves no exec): the
 * commands sent are the contract; the host runs the same commands for real in the backup-failure
 * runbook's storage test.
 */
class OldDumpFilesTest {
  private static final String DUMPS = "/var/backups/postgresql";
  private static final Instant NOW = Instant.now();
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(7));

  private static String line(String directory, String name, long bytes, int daysOld) {
    return directory + "/" + name + "|" + bytes + "|" + mtime(daysOld) + "\n";
  }

  private static long mtime(int daysOld) {
    return NOW.minus(Duration.ofDays(daysOld)).getEpochSecond();
  }

  /** The data directory's top level: PostgreSQL's files, old and recent dumps, a name like a WAL backup history file's. */
  private static String dataListing() {
    return line(DATA, "PG_VERSION", 3, 400) + line(DATA, "postgresql.conf", 29000, 400) + line(DATA, "backup_label.old", 200, 90)
        + line(DATA, "link_users-2026-10-01.dump", 3000, 30) + line(DATA, "manual.backup", 2000, 20) + line(DATA, "schema.sql", 10, 9)
        + line(DATA, "000000010000000000000002.00000028.backup", 300, 60) + line(DATA, "recent.dump", 5000, 2)
        + line(DATA, "notes.txt", 10, 40);
  }

  private static OsCommand.Result listed(List<String> command) {
    String dir = command.get(1);
    return new OsCommand.Result(0, dir.equals(DATA) ? dataListing()
        : line(dir, "nightly.sql.gz", 700, 15) + line(dir, "weekly.tar", 900, 8) + line(dir, "today.tar.gz", 900, 0), "");
  }

  @Test
  void onlyOldDumpFilesDirectlyInTheDataAndDumpDirectoriesAreListed() {
    ScriptedPod pod = new ScriptedPod(OldDumpFilesTest::listed);
    OldDumpFiles.Listing found = OldDumpFiles.find(pod.shell, TARGET, DUMPS + "/", CUTOFF);
    assertThat(found.directories()).containsExactly(DATA, DUMPS);
    assertThat(found.old()).extracting(f -> f.directory() + "/" + f.file().name()).as("oldest first").containsExactly(
        DATA + "/link_users-2026-10-01.dump", DATA + "/manual.backup", DUMPS + "/nightly.sql.gz", DATA + "/schema.sql",
        DUMPS + "/weekly.tar");
    assertThat(found.problems()).isEmpty();
    assertThat(pod.sent).as("one listing per directory, its top level only: never pg_wal").containsExactly(
        List.of("find", DATA, "-maxdepth", "1", "-type", "f", "-exec", "stat", "-c", "%n|%s|%Y", "{}", "+"),
        List.of("find", DUMPS, "-maxdepth", "1", "-type", "f", "-exec", "stat", "-c", "%n|%s|%Y", "{}", "+"));
  }

  @Test
  void aDumpDirectoryOfPostgresqlsOwnIsNotLookedIn() {
    ScriptedPod pod = new ScriptedPod(OldDumpFilesTest::listed);
    for (String dir : List.of(DATA + "/pg_wal", DATA + "/base/16384", "relative/dumps")) {
      pod.sent.clear();
      OldDumpFiles.Listing found = OldDumpFiles.find(pod.shell, TARGET, dir, CUTOFF);
      assertThat(found.directories()).as(dir).containsExactly(DATA);
      assertThat(found.problems()).as(dir).singleElement().asString().contains(dir).contains("not");
      assertThat(pod.sent).as(dir).extracting(c -> c.get(1)).containsExactly(DATA);
    }
  }

  @Test
  void exactlyTheApprovedFilesAreDeletedEachRecheckedAgainstItsListing() {
    List<List<String>> deletes = new ArrayList<>();
    ScriptedPod pod = new ScriptedPod(c -> {
      if (!c.contains("-delete")) {
        return listed(c);
      }
      deletes.add(c);
      return new OsCommand.Result(0, c.get(1) + "/" + c.get(c.indexOf("-name") + 1) + "\n", "");
    });
    OldDumpFiles.Deletion deletion = OldDumpFiles.delete(pod.shell, TARGET, DUMPS, List.of(
        new Approved(DATA, "link_users-2026-10-01.dump", 3000, mtime(30)),
        new Approved(DATA, "manual.backup", 1500, mtime(20)),
        new Approved(DATA, "gone.dump", 10, mtime(50)),
        new Approved(DUMPS, "nightly.sql.gz", 700, mtime(15)),
        new Approved("/srv/elsewhere", "x.dump", 1, mtime(30))), CUTOFF);

    assertThat(deletion.deleted()).containsExactly(DATA + "/link_users-2026-10-01.dump", DUMPS + "/nightly.sql.gz");
    assertThat(deletion.freedBytes()).isEqualTo(3700);
    assertThat(deletion.gone()).containsExactly(DATA + "/gone.dump");
    assertThat(deletion.skipped()).satisfiesExactly(
        s -> assertThat(s).startsWith(DATA + "/manual.backup: changed since it was listed (1500 -> 2000 bytes"),
        s -> assertThat(s).isEqualTo("/srv/elsewhere/x.dump: no longer the data directory or the configured dump directory, left alone"));
    long minutes = Duration.between(CUTOFF, Instant.now()).toMinutes();
    assertThat(deletes).as("each delete re-checks age and size in the find that deletes it").containsExactly(
        List.of("find", DATA, "-maxdepth", "1", "-type", "f", "-name", "link_users-2026-10-01.dump", "-mmin", "+" + minutes,
            "-size", "3000c", "-print", "-delete"),
        List.of("find", DUMPS, "-maxdepth", "1", "-type", "f", "-name", "nightly.sql.gz", "-mmin", "+" + minutes,
            "-size", "700c", "-print", "-delete"));
  }

  @Test
  void aFileChangedBetweenTheRecheckAndTheDeleteIsSkipped() {
    ScriptedPod pod = new ScriptedPod(c -> c.contains("-delete") ? new OsCommand.Result(0, "", "") : listed(c));
    OldDumpFiles.Deletion deletion = OldDumpFiles.delete(
        pod.shell, TARGET, null, List.of(new Approved(DATA, "link_users-2026-10-01.dump", 3000, mtime(30))), CUTOFF);
    assertThat(deletion.deleted()).isEmpty();
    assertThat(deletion.skipped()).singleElement().asString().startsWith(DATA + "/link_users-2026-10-01.dump: changed while being deleted");
  }

  @Test
  void aNameThatIsNoDumpOrIsPostgresqlsRefusesTheWholeListBeforeAnyCommand() {
    ScriptedPod pod = new ScriptedPod(OldDumpFilesTest::listed);
    for (String bad : List.of("000000010000000000000002.00000028.backup", "postgresql.conf", "../pg_wal/x.backup", "*.dump", "-delete.sql")) {
      assertThatThrownBy(() -> OldDumpFiles.delete(pod.shell, TARGET, null,
          List.of(new Approved(DATA, "link_users-2026-10-01.dump", 3000, mtime(30)), new Approved(DATA, bad, 1, mtime(30))), CUTOFF))
          .as(bad).isInstanceOf(ApplicationFailure.class).hasMessageContaining("is not a dump file name");
    }
    assertThat(pod.sent).isEmpty();
  }
}
