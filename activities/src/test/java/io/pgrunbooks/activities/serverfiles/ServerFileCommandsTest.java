package io.pgrunbooks.activities.serverfiles;

import static io.pgrunbooks.activities.serverfiles.ScriptedPod.DATA;
import static io.pgrunbooks.activities.serverfiles.ScriptedPod.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.DirectorySizes;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.FileInfo;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.SizedPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands sent where the data directory is, and how their output is read (host and pod alike). */
class ServerFileCommandsTest {

  @Test
  void duInThePodIsReadPerTopLevelEntryWithTheDirectorysTotal() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(
        1, "1024\t" + DATA + "/log\n4096\t" + DATA + "/base\n16\t" + DATA + "/PG_VERSION\n5200\t" + DATA + "\n",
        "du: cannot access '" + DATA + "/base/pgsql_tmp/x': No such file or directory"));
    DirectorySizes sizes = ServerFileCommands.du(pod.shell, TARGET);
    assertThat(pod.sent).containsExactly(List.of("du", "-a", "-k", "-d", "1", DATA));
    assertThat(sizes.totalBytes()).isEqualTo(5200 * 1024L);
    assertThat(sizes.entries()).containsExactly(
        new SizedPath(DATA + "/base", "base", 4096 * 1024L), new SizedPath(DATA + "/log", "log", 1024 * 1024L),
        new SizedPath(DATA + "/PG_VERSION", "PG_VERSION", 16 * 1024L));
  }

  @Test
  void duThatFailsOrPrintsNothingIsAnError() {
    assertThatThrownBy(() -> ServerFileCommands.du(new ScriptedPod(c -> new OsCommand.Result(2, "", "du: bad option")).shell, TARGET))
        .hasMessageContaining("du of " + DATA + " failed (exit 2): du: bad option");
    assertThatThrownBy(() -> ServerFileCommands.du(new ScriptedPod(c -> new OsCommand.Result(0, "", "")).shell, TARGET))
        .hasMessageContaining("failed");
  }

  @Test
  void filesAreListedWithPosixFindAndStat() {
    ScriptedPod pod = new ScriptedPod(c -> new OsCommand.Result(
        0, DATA + "/log/postgresql-2026-10-01_000000.log|5242880|1759276800\n" + DATA + "/log/notes.txt|12|1764000000\n", ""));
    assertThat(ServerFileCommands.listFiles(pod.shell, TARGET, DATA + "/log")).containsExactly(
        new FileInfo("postgresql-2026-10-01_000000.log", 5242880, 1759276800L), new FileInfo("notes.txt", 12, 1764000000L));
    assertThat(pod.sent).containsExactly(
        List.of("find", DATA + "/log", "-maxdepth", "1", "-type", "f", "-exec", "stat", "-c", "%n|%s|%Y", "{}", "+"));
  }

  @Test
  void aMissingDirectoryHasNoFilesButAnotherFailureIsAnError() {
    assertThat(ServerFileCommands.listFiles(
        new ScriptedPod(c -> new OsCommand.Result(1, "", "find: '/x': No such file or directory")).shell, TARGET, "/x")).isEmpty();
    assertThatThrownBy(() -> ServerFileCommands.listFiles(
        new ScriptedPod(c -> new OsCommand.Result(1, "", "find: '/x': Permission denied")).shell, TARGET, "/x"))
        .hasMessageContaining("cannot list /x (exit 1): find: '/x': Permission denied");
  }

  @Test
  void theDeleteCommandRechecksTypeNameAndAgeAndTakesOnlyPlainNames() {
    assertThat(ServerFileCommands.deleteCommand("/d/log", "postgresql-1.log", 10080))
        .containsExactly("find", "/d/log", "-maxdepth", "1", "-type", "f", "-name", "postgresql-1.log", "-mmin", "+10080", "-print", "-delete");
    for (String bad : List.of("*.log", "../x.log", "-delete", "a b.log", "x[1].log", "")) {
      assertThatThrownBy(() -> ServerFileCommands.deleteCommand("/d/log", bad, 10080)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
