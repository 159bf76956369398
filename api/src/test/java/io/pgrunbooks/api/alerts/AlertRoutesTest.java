package io.pgrunbooks.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.api.targets.KnownTargets;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AlertRoutesTest {
  private static final KnownTargets TARGETS = new KnownTargets(
      new MockEnvironment().withProperty("pgrunbooks.targets.demo.hosting", "host").withProperty("pgrunbooks.targets.prod.hosting", "kubernetes"));

  private static AlertRoutes routes(List<AlertsProperties.Route> routes, List<AlertsProperties.TargetAlias> aliases) {
    return new AlertRoutes(new AlertsProperties(routes, null, aliases), TARGETS);
  }

  private static final AlertRoutes DEFAULTS = routes(List.of(
      new AlertsProperties.Route("PostgreSQLBackupFailed", "respond-to-backup-failure", null),
      new AlertsProperties.Route("PostgresqlDown", "respond-to-database-failure", "instance")),
      List.of(new AlertsProperties.TargetAlias("db-1:9187", "prod")));

  @Test
  void anAlertIsRoutedToItsRunbookOnTheTargetItsTargetLabelNames() {
    AlertRoutes.Routing r = DEFAULTS.route(Map.of("alertname", "PostgreSQLBackupFailed", "target", "demo", "database", "link_users"));
    assertThat(r.ignored()).isNull();
    assertThat(r.runbook()).isEqualTo(RunbookCatalog.RESPOND_TO_BACKUP_FAILURE);
    assertThat(r.target()).isEqualTo("demo");
  }

  @Test
  void aRoutesOwnTargetLabelAndAnAliasNameTheTargetOfAnExportersAlert() {
    AlertRoutes.Routing r = DEFAULTS.route(Map.of("alertname", "PostgresqlDown", "instance", "db-1:9187", "target", "demo"));
    assertThat(r.runbook()).isEqualTo(RunbookCatalog.RESPOND_TO_DATABASE_FAILURE);
    assertThat(r.target()).as("the route's label wins over target-labels").isEqualTo("prod");
  }

  @Test
  void anAlertRoutedNowhereOrWithoutAKnownTargetIsIgnoredWithTheReason() {
    assertThat(DEFAULTS.route(Map.of("alertname", "Watchdog")).ignored())
        .isEqualTo("alert Watchdog is routed to no runbook (pgrunbooks.alerts.routes: [PostgreSQLBackupFailed, PostgresqlDown])");
    assertThat(DEFAULTS.route(Map.of("alertname", "PostgreSQLBackupFailed", "target", "staging")).ignored())
        .isEqualTo("label target=staging names no configured target; targets: [demo, prod], or a value of pgrunbooks.alerts.target-aliases");
    assertThat(DEFAULTS.route(Map.of("alertname", "PostgreSQLBackupFailed", "instance", "demo")).ignored())
        .isEqualTo("alert PostgreSQLBackupFailed has none of the labels [target] that name the target");
    assertThat(DEFAULTS.route(Map.of("severity", "critical")).ignored()).isEqualTo("the alert has no alertname label");
    assertThat(DEFAULTS.route(null).ignored()).isEqualTo("the alert has no alertname label");
  }

  @Test
  void aRouteToAnUnknownRunbookOrOneThatCannotRecordNoticesStopsTheStart() {
    assertThatThrownBy(() -> routes(List.of(new AlertsProperties.Route("X", "drop-everything", null)), List.of()))
        .hasMessage("pgrunbooks.alerts.routes[0] (X): unknown runbook 'drop-everything'; one of"
            + " [respond-to-backup-failure, respond-to-database-failure]");
    assertThatThrownBy(() -> routes(List.of(new AlertsProperties.Route("X", "restore-from-backup", null)), List.of()))
        .hasMessage("pgrunbooks.alerts.routes[0] (X): runbook 'restore-from-backup' does not record alert notifications;"
            + " an alert may start one of [respond-to-backup-failure, respond-to-database-failure]");
    assertThatThrownBy(() -> routes(List.of(new AlertsProperties.Route("X", "respond-to-backup-failure", null),
        new AlertsProperties.Route("X", "respond-to-database-failure", null)), List.of()))
        .hasMessage("pgrunbooks.alerts.routes[1]: alert X is routed twice");
  }

  @Test
  void alertmanagersTimesBecomeUtcAndItsZeroTimeNone() {
    assertThat(AlertService.time("2026-11-29T12:00:00.123456789+02:00")).isEqualTo("2026-11-29T10:00:00.123456789Z");
    assertThat(AlertService.time("0001-01-01T00:00:00Z")).isNull();
    assertThat(AlertService.time("yesterday")).isNull();
  }
}
