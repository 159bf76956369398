package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;

/**
 * Commands on this machine as the cluster's OS user: they can read and delete only what the server's
 * own user can, never what only the worker (often root) could.
 */
public final class HostShell implements ServerShell {
  /** du of a large data directory may take minutes; find and delete take milliseconds. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  @Override
  public Hosting hosting() {
    return Hosting.HOST;
  }

  @Override
  public String dataDirectory(TargetConfig target) {
    if (target.host() == null || target.host().dataDirectory() == null || target.host().dataDirectory().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("target has hosting host but no host.data-directory", "InvalidTarget");
    }
    return ServerShell.stripSlash(target.host().dataDirectory());
  }

  @Override
  public OsCommand.Result run(TargetConfig target, List<String> command) {
    dataDirectory(target);
    return OsCommand.run(target.host().osUser(), command, TIMEOUT, null);
  }
}
