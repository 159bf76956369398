package io.pgrunbooks.workflows.prevention;

import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * Where pg_stat_statements stands on a target.
 *
 * @param hosting how the target is hosted (the restart is automatic on host only)
 * @param serverVersion e.g. 15.10
 * @param available whether the server's installation has the extension (postgresql-contrib)
 * @param preloadLibraries the current {@code shared_preload_libraries}, as the server reports it
 * @param preloadSource where that value comes from ({@code pg_settings.source}: "configuration file",
 *     "command line", "default", ...); a command-line value overrides ALTER SYSTEM
 * @param preloaded whether pg_stat_statements is loaded now
 * @param installedIn databases that have the extension
 * @param missingIn databases (of those asked) that lack it
 * @param readableIn databases where {@code select from pg_stat_statements} works now
 */
public record StatementStatistics(
    Hosting hosting,
    String serverVersion,
    boolean available,
    String preloadLibraries,
    String preloadSource,
    boolean preloaded,
    List<String> installedIn,
    List<String> missingIn,
    List<String> readableIn) {

  /** Whether nothing is left to do. */
  public boolean complete() {
    return preloaded && missingIn.isEmpty();
  }

  /** One line for a person. */
  public String describe() {
    return "pg_stat_statements " + (preloaded ? "preloaded" : "not preloaded") + " (shared_preload_libraries = '"
        + preloadLibraries + "'), extension in " + (installedIn.isEmpty() ? "no database" : String.join(", ", installedIn))
        + (missingIn.isEmpty() ? "" : ", missing in " + String.join(", ", missingIn))
        + ", readable in " + (readableIn.isEmpty() ? "no database" : String.join(", ", readableIn));
  }
}
