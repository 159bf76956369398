package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code pg_ctl restart -m fast} of a cluster on this machine, for settings that only a restart
 * applies (max_connections, shared_preload_libraries). pg_ctl waits up to 120 s for the server to
 * accept connections again; its output goes to a log in the data directory, named in any failure.
 */
public final class ServerRestart {
  private ServerRestart() {}

  /** Restarts the cluster; a failure to come back is retryable (a second restart is the same step). */
  public static void restart(HostPlacement host) {
    String log = Path.of(host.dataDirectory()).resolve("pg-runbooks-restart.log").toString();
    OsCommand.Result restart = OsCommand.run(
        host.osUser(),
        PgCtl.command(host, "restart", "-m", "fast", "-w", "-t", "120", "-l", log),
        Duration.ofSeconds(150),
        null);
    if (!restart.ok()) {
      throw ApplicationFailure.newFailure("pg_ctl restart failed: " + restart.tail(3) + " (see " + log + ")", "RestartFailed");
    }
  }
}
