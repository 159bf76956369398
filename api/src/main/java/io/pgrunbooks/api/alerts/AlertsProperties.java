package io.pgrunbooks.api.alerts;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pgrunbooks.alerts.*}: which alert starts which runbook, and where the alert names its target.
 *
 * @param routes alert name to runbook; an alert whose name is in no route is answered "ignored" and logged
 * @param targetLabels the labels that name the target, tried in order (default {@code [target]}, the
 *     label the shipped rules and the post-incident rules carry)
 * @param targetAliases label values that are not a target's name but stand for one (e.g. an exporter's
 *     {@code instance} such as {@code db-1:9187} for target {@code prod})
 */
@ConfigurationProperties("pgrunbooks.alerts")
record AlertsProperties(List<Route> routes, List<String> targetLabels, List<TargetAlias> targetAliases) {
  AlertsProperties {
    routes = routes == null ? List.of() : List.copyOf(routes);
    targetLabels = targetLabels == null || targetLabels.isEmpty() ? List.of("target") : List.copyOf(targetLabels);
    targetAliases = targetAliases == null ? List.of() : List.copyOf(targetAliases);
  }

  /**
   * One route.
   *
   * @param alertname the alert's {@code alertname} label, exactly
   * @param runbook the runbook to start, by its catalog name (one that records alert notices:
   *     respond-to-backup-failure, respond-to-database-failure)
   * @param targetLabel the label naming the target for this alert (null: {@code target-labels})
   */
  record Route(String alertname, String runbook, String targetLabel) {}

  /**
   * A label value standing for a target.
   *
   * @param value the label's value, e.g. {@code db-1:9187}
   * @param target the configured target it stands for
   */
  record TargetAlias(String value, String target) {}
}
