package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.PitrSettings;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * pgBackRest for one target's stanza, run as the cluster's OS user (as the server's
 * archive_command runs it), with every name checked before it reaches the command line.
 */
final class PgBackRest {
  private final String executable;
  private final String osUser;
  private final String stanza;
  private final List<String> global = new ArrayList<>();

  PgBackRest(TargetConfig target) {
    PitrSettings pitr = target.pitr();
    this.executable = executable();
    this.osUser = target.host().osUser();
    this.stanza = PitrNames.stanza(pitr.stanza());
    if (pitr.configFile() != null && !pitr.configFile().isBlank()) {
      global.add("--config=" + PitrNames.path("pitr.config-file", pitr.configFile()));
    }
    if (pitr.repoPath() != null && !pitr.repoPath().isBlank()) {
      global.add("--repo1-path=" + PitrNames.path("pitr.repo-path", pitr.repoPath()));
    }
  }

  String stanza() {
    return stanza;
  }

  /** {@code pgbackrest info --output=json} of the stanza. */
  StanzaInfo info() {
    OsCommand.Result info = run("info", List.of("--output=json"), List.of(), Duration.ofSeconds(60), null);
    try {
      return StanzaInfo.parse(info.stdout(), stanza);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot read pgbackrest info: " + e.getMessage(), "PgBackRestFailed");
    }
  }

  /** The names of the archive's files in one directory ({@code <timeline><log>}) of an archive id. */
  List<String> archiveFiles(String archiveId, String directory) {
    return run("repo-ls", List.of(), List.of("archive/" + stanza + "/" + archiveId + "/" + directory), Duration.ofSeconds(60), null)
        .stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** Copies one archived WAL segment to {@code destination} (decompressed). */
  void archiveGet(String segment, Path destination) {
    run("archive-get", List.of(), List.of(segment, destination.toString()), Duration.ofMinutes(5), null);
  }

  /**
   * Restores {@code set} into {@code dataDirectory} with recovery to {@code targetTime} and
   * promotion there; pgBackRest writes recovery.signal and the recovery settings into
   * postgresql.auto.conf. {@code delta} completes a restore a killed attempt left behind.
   */
  void restore(String dataDirectory, String set, String targetTime, boolean delta, Consumer<String> progress) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--pg1-path=" + dataDirectory, "--set=" + set, "--type=time", "--target=" + targetTime,
                "--target-action=promote", "--log-level-console=detail"));
    if (delta) {
      options.add("--delta");
    }
    run("restore", options, List.of(), Duration.ofHours(12), progress);
  }

  /** {@code pgbackrest <global options> --stanza=S <options> <command> <arguments>}. */
  private OsCommand.Result run(
      String command, List<String> options, List<String> arguments, Duration timeout, Consumer<String> progress) {
    List<String> line = new ArrayList<>(List.of(executable));
    line.addAll(global);
    line.add("--stanza=" + stanza);
    line.addAll(options);
    line.add(command);
    line.addAll(arguments);
    OsCommand.Result result = OsCommand.run(osUser, line, timeout, progress);
    if (!result.ok()) {
      // Lock conflicts and an unreachable repository pass; a retry is cheap, so let it retry.
      throw ApplicationFailure.newFailure(
          "pgbackrest " + command + " failed (exit " + result.exitCode() + "): " + result.tail(3), "PgBackRestFailed");
    }
    return result;
  }

  /** pgbackrest from PATH, absolute, so that the run-as user's PATH does not matter. */
  private static String executable() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbackrest");
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    throw PitrFailures.invalid("pgbackrest is not installed on this worker (apt-get install pgbackrest)");
  }
}
