package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.artifacts.Excerpt;
import java.util.List;

/**
 * The seed's slow query analysis, and why it is incomplete when it is.
 *
 * @param preloaded whether pg_stat_statements is in shared_preload_libraries (without it the view
 *     errors: the module collects nothing)
 * @param installedIn the target's databases that have the extension
 * @param missingIn the target's databases without it ({@code CREATE EXTENSION pg_stat_statements})
 * @param slowest the ten slowest statements by mean execution time; empty when none can be read
 * @param all up to 500 statements by mean time as CSV: an excerpt, the whole in the artifact store;
 *     null when none can be read
 */
public record StatementStatistics(
    boolean preloaded, List<String> installedIn, List<String> missingIn, List<SlowStatement> slowest, Excerpt all) {}
