package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The server programs of a cluster on this machine: its configured bin directory, else the newest installed. */
public final class PgCtl {
  private PgCtl() {}

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
