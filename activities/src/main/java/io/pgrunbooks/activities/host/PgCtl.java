package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server programs of a cluster on this machine: its configured bin directory, else the newest installed. */
public final class PgCtl {
  private static final Pattern PID = Pattern.compile("PID: (\\d+)");

  private PgCtl() {}

  /**
   * {@code pg_ctl status}: {@code pid N} of the postmaster when the cluster runs (a restart changes it),
   * null when it does not run.
   */
  public static String runningPostmaster(HostPlacement host) {
    OsCommand.Result status = OsCommand.run(host.osUser(), command(host, "status"), Duration.ofSeconds(30), null);
    if (!status.ok()) {
      return null;
    }
    Matcher pid = PID.matcher(status.stdout());
    return pid.find() ? "pid " + pid.group(1) : "running";
  }

  /** {@code pg_ctl -D <data directory> args...}. */
  public static List<String> command(HostPlacement host, String... args) {
    List<String> command = new ArrayList<>(List.of(binDirectory(host).resolve("pg_ctl").toString(), "-D", host.dataDirectory()));
    command.addAll(List.of(args));
    return command;
  }

  /** host.bin-directory, else the newest PostgreSQL under /usr/lib/postgresql. */
  public static Path binDirectory(HostPlacement host) {
    return host.binDirectory() == null || host.binDirectory().isBlank() ? PgBinaries.directory(null) : Path.of(host.binDirectory());
  }
}
