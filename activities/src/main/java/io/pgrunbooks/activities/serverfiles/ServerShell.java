package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * A command where the data directory is: on this machine as the cluster's OS user ({@link
 * HostShell}), or by exec in the primary pod ({@link PodShell}). The commands of {@link
 * ServerFileCommands} are the same for both, so the host's real runs test the pod's too.
 */
public interface ServerShell {

  Hosting hosting();

  /** The data directory as the server sees it, without a trailing slash. */
  String dataDirectory(TargetConfig target);

  /** Runs {@code command} (arguments as a list, never through a shell) to completion. */
  OsCommand.Result run(TargetConfig target, List<String> command);

  /** A path without its trailing slash (but "/" stays "/"). */
  static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
