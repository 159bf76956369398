package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A setting as the cluster's configuration gives it, read without a connection: {@code postgres -D
 * <data> <the options it was started with> -C name} as the cluster's OS user (postgres refuses root).
 * It works whether the server runs or not, and sees the command line's {@code -c} options too.
 */
public final class ServerSettings {
  private ServerSettings() {}

  /** The result of {@code postgres -C name}: its value on stdout when it succeeded. */
  public static OsCommand.Result show(HostPlacement host, String name) {
    List<String> command = new ArrayList<>(List.of(PgCtl.binDirectory(host).resolve("postgres").toString(), "-D", host.dataDirectory()));
    command.addAll(PostmasterOpts.arguments(Path.of(host.dataDirectory())));
    command.addAll(List.of("-C", name));
    return OsCommand.run(host.osUser(), command, Duration.ofSeconds(30), null);
  }
}
