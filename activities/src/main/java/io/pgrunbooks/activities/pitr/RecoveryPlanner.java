package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.workflows.pitr.PitrRequest;
import io.pgrunbooks.workflows.pitr.RecoveryPlan;
import io.pgrunbooks.workflows.pitr.WorkAtRisk;
import io.pgrunbooks.workflows.targets.Hosting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

/** Step 1: everything checked, nothing changed (the seal adds a WAL switch, no data). */
final class RecoveryPlanner {
  /** How long the seal waits for its segment to be archived. */
  static final Duration SEAL_WAIT = Duration.ofSeconds(20);

  /** Room for WAL replayed and written while recovering, on top of the backup's size. */
  static final double SPACE_MARGIN = 1.1;

  private final PostgresConnector connector;

  RecoveryPlanner(PostgresConnector connector) {
    this.connector = connector;
  }

  RecoveryPlan plan(PitrRequest request, String label, TargetConfig config) {
    if (config.pitr() == null) {
      throw PitrFailures.invalid(
          "target " + request.target() + " has no pitr configuration (pgrunbooks.targets." + request.target() + ".pitr.stanza)");
    }
    if (config.hosting() != Hosting.HOST || config.host() == null) {
      throw PitrFailures.invalid(
          "point-in-time recovery runs on host targets; a kubernetes target needs a restore job, which is not built yet");
    }
    Instant target = targetTime(request.targetTime());
    HostPlacement host = config.host();
    String data = PitrNames.path("host.data-directory", host.dataDirectory());
    if (!label.matches("\\d{8}_\\d{6}")) {
      throw PitrFailures.invalid("not a run label: " + label);
    }
    if (!Files.exists(Path.of(data, "PG_VERSION"))) {
      throw PitrFailures.invalid(data + " is not a PostgreSQL data directory (no PG_VERSION)");
    }
    PgBackRest pgbackrest = new PgBackRest(config);
    refuseTablespaces(data);

    // The seal first, so that the archive read next ends now.
    ArchiveSeal.Seal seal;
    try (Connection c = connector.open(config.primary())) {
      seal = ArchiveSeal.seal(c, SEAL_WAIT);
    } catch (SQLException e) {
      seal = new ArchiveSeal.Seal(false, null, "the server is not reachable (" + e.getMessage() + "), so the archive was not sealed");
    }
    StanzaInfo info = pgbackrest.info();
    StanzaInfo.Archive archive = info.currentArchive();
    Path bin = host.binDirectory() == null ? PgBinaries.directory(null) : Path.of(host.binDirectory());
    ArchivedCommits.LastCommit last = archive == null ? null : ArchivedCommits.find(pgbackrest, archive, bin, host.osUser());
    Instant now = Instant.now();
    RecoveryWindows.Decision decision = RecoveryWindows.decide(info, last, seal.note(), target, now);

    long free = freeBytes(Path.of(data).getParent());
    long needed = (long) (decision.backup().size() * SPACE_MARGIN);
    if (free < needed) {
      throw PitrFailures.invalid(
          "not enough space next to " + data + ": the restore needs about " + needed + " bytes (backup "
              + decision.backup().label() + " plus 10%), " + free + " are free; the old data directory stays where it is");
    }
    String aside = PitrDirectories.aside(data, label);
    String work = PitrDirectories.work(data, label);
    if (Files.exists(Path.of(aside))) {
      throw PitrFailures.invalid(aside + " already exists: another recovery used this label");
    }
    String when = format(target);
    WorkAtRisk atRisk =
        new WorkAtRisk(
            target.toString(), now.truncatedTo(ChronoUnit.SECONDS).toString(), Duration.between(target, now).toSeconds(),
            decision.backup().lsnStop(), decision.targetLsnBefore(), seal.currentLsn());
    List<String> steps =
        List.of(
            "stop " + request.target() + " (pg_ctl stop -m fast)",
            "move " + data + " to " + aside + " (kept, never deleted)",
            "pgbackrest --stanza=" + pgbackrest.stanza() + " --set=" + decision.backup().label() + " --type=time --target='"
                + when + "' --target-action=promote restore into " + data,
            "start the server (log in " + work + "/server.log) and follow recovery until it is promoted",
            "prove from the log that recovery stopped at " + target,
            request.checkSql() == null || request.checkSql().isBlank() ? "no check query" : "run the check query read-only",
            "assess the database's health");
    return new RecoveryPlan(
        request.target(), label, pgbackrest.stanza(), target.toString(), decision.window(), decision.backup().label(),
        decision.backup().size(), free, data, aside, work, atRisk, steps);
  }

  /** RFC 3339 in, microseconds (PostgreSQL's precision) kept. */
  static Instant targetTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException | NullPointerException e) {
      throw PitrFailures.invalid("targetTime must be an RFC 3339 time such as 2024-01-01T12:00:00Z, not '" + text + "'");
    }
  }

  /** The form recovery_target_time takes: {@code 2024-01-01 12:00:00.000000+00}. */
  static String format(Instant target) {
    String iso = target.truncatedTo(ChronoUnit.MICROS).toString(); // 2024-01-01T12:00:00.123Z
    OffsetDateTime t = OffsetDateTime.parse(iso);
    return String.format("%tF %<tT.%06d+00", t, t.getNano() / 1000);
  }

  /**
   * Tablespaces live outside the data directory: pgBackRest would restore them over the ones the
   * moved-aside directory still points to.
   */
  private static void refuseTablespaces(String data) {
    Path tablespaces = Path.of(data, "pg_tblspc");
    try (Stream<Path> links = Files.isDirectory(tablespaces) ? Files.list(tablespaces) : Stream.empty()) {
      if (links.findAny().isPresent()) {
        throw PitrFailures.invalid(
            data + " has tablespaces outside the data directory; recovering them without overwriting the old ones is not supported");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long freeBytes(Path directory) {
    try {
      return Files.getFileStore(directory).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
