package io.pgrunbooks.workflows.watch;

import java.util.List;

/**
 * Where the rules went.
 *
 * @param location e.g. {@code PrometheusRule monitoring/pg-runbooks-post-incident-link-42} or a file path
 * @param alerts the alert names, e.g. DatabaseConnectionSpike
 */
public record InstalledRules(String location, List<String> alerts) {}
