package io.pgrunbooks.api.alerts;

import io.pgrunbooks.api.targets.KnownTargets;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The configured routes, checked when the API starts (a route to an unknown runbook, or to one that
 * cannot record alert notices, stops the start with the route's place in the configuration), and
 * the routing of one alert: its runbook and target, or why it is ignored.
 */
@Component
class AlertRoutes {
  private final Map<String, Route> byAlertname = new LinkedHashMap<>();
  private final List<String> targetLabels;
  private final Map<String, String> aliases = new HashMap<>();
  private final KnownTargets targets;

  private record Route(RunbookDescriptor runbook, String targetLabel) {}

  /**
   * Where one alert goes.
   *
   * @param alertname its name (null: it has none)
   * @param runbook the runbook it starts (null when ignored)
   * @param target the configured target it names (null when ignored)
   * @param ignored why nothing is done for it (null when routed)
   */
  record Routing(String alertname, RunbookDescriptor runbook, String target, String ignored) {
    static Routing ignored(String alertname, String why) {
      return new Routing(alertname, null, null, why);
    }
  }

  AlertRoutes(AlertsProperties properties, KnownTargets targets) {
    this.targets = targets;
    this.targetLabels = properties.targetLabels();
    for (int i = 0; i < properties.routes().size(); i++) {
      AlertsProperties.Route r = properties.routes().get(i);
      String where = "pgrunbooks.alerts.routes[" + i + "]";
      if (r.alertname() == null || r.alertname().isBlank()) {
        throw new IllegalStateException(where + ": 'alertname' is required");
      }
      RunbookDescriptor runbook = RunbookCatalog.find(r.runbook() == null ? "" : r.runbook())
          .orElseThrow(() -> new IllegalStateException(where + " (" + r.alertname() + "): unknown runbook '" + r.runbook()
              + "'; one of " + AlertInputs.runbooks()));
      if (!AlertInputs.accepts(runbook)) {
        throw new IllegalStateException(where + " (" + r.alertname() + "): runbook '" + r.runbook()
            + "' does not record alert notifications; an alert may start one of " + AlertInputs.runbooks());
      }
      if (byAlertname.put(r.alertname(), new Route(runbook, blankToNull(r.targetLabel()))) != null) {
        throw new IllegalStateException(where + ": alert " + r.alertname() + " is routed twice");
      }
    }
    for (AlertsProperties.TargetAlias alias : properties.targetAliases()) {
      aliases.put(alias.value(), alias.target());
    }
  }

  /** The runbook and target of an alert, or why it is ignored. */
  Routing route(Map<String, String> labels) {
    String alertname = labels == null ? null : blankToNull(labels.get("alertname"));
    if (alertname == null) {
      return Routing.ignored(null, "the alert has no alertname label");
    }
    Route route = byAlertname.get(alertname);
    if (route == null) {
      return Routing.ignored(alertname, "alert " + alertname + " is routed to no runbook (pgrunbooks.alerts.routes: "
          + byAlertname.keySet() + ")");
    }
    List<String> names = route.targetLabel() != null ? List.of(route.targetLabel()) : targetLabels;
    for (String name : names) {
      String value = blankToNull(labels.get(name));
      if (value != null) {
        String target = aliases.getOrDefault(value, value);
        if (!targets.contains(target)) {
          return Routing.ignored(alertname, "label " + name + "=" + value + " names no configured target; targets: "
              + targets.names() + (aliases.isEmpty() ? "" : ", or a value of pgrunbooks.alerts.target-aliases"));
        }
        return new Routing(alertname, route.runbook(), target, null);
      }
    }
    return Routing.ignored(alertname, "alert " + alertname + " has none of the labels " + names + " that name the target");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
