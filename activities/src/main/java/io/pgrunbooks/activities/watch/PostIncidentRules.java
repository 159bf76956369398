package io.pgrunbooks.activities.watch;

import java.util.List;
import java.util.Map;

/**
 * The seed's three post-incident alerts, labelled with the target (so they do not fire for every
 * cluster Prometheus scrapes) and with when the watch ends. Kept as data, rendered for both places.
 */
final class PostIncidentRules {
  record Rule(String alert, String expr, String forDuration, String severity, String summary) {}

  static final List<Rule> RULES = List.of(
      new Rule("DatabaseConnectionSpike", "pg_stat_database_numbackends > 150", "5m", "warning",
          "High database connection count post-incident"),
      new Rule("DatabaseSlowQueries", "rate(postgres_slow_queries_total[5m]) > 10", "10m", "warning",
          "Increased slow queries detected post-incident"),
      new Rule("ReplicationLagHigh", "pg_replication_lag_seconds > 60", "5m", "critical",
          "High replication lag detected"));

  private PostIncidentRules() {}

  static List<String> alerts() {
    return RULES.stream().map(Rule::alert).toList();
  }

  /** The {@code spec.groups} of a PrometheusRule, which is also the whole of a rules file. */
  static List<Map<String, Object>> groups(String target, String until) {
    return List.of(Map.of(
        "name", "database-post-incident",
        "rules", RULES.stream().map(r -> Map.<String, Object>of(
            "alert", r.alert(),
            "expr", r.expr(),
            "for", r.forDuration(),
            "labels", Map.of("severity", r.severity(), "target", target, "source", "pg-runbooks"),
            "annotations", Map.of("summary", r.summary(), "until", until))).toList()));
  }
}
