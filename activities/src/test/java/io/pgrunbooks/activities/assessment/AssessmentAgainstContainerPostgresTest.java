package io.pgrunbooks.activities.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.assessment.ConnectionUsage;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.ServerIdentity;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The SQL checks against PostgreSQL from Testcontainers, where a Docker engine exists. Machines
 * without one (CI here) run the same checks against initdb clusters in
 * AssessmentAgainstRealPostgresTest.
 */
@Testcontainers(disabledWithoutDocker = true)
class AssessmentAgainstContainerPostgresTest {

  @Container
  static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15");

  private AssessmentActivitiesImpl activities() throws java.io.IOException {
    java.nio.file.Path password = java.nio.file.Files.createTempFile("container-pw-", "");
    java.nio.file.Files.writeString(password, postgres.getPassword());
    TargetConfig target =
        new TargetConfig(
            Hosting.HOST,
            new TargetConfig.Endpoint(postgres.getJdbcUrl(), postgres.getUsername(), "file:" + password),
            List.of(), List.of(), List.of(), null, null, null, null);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("container", target)));
    SecretResolver secrets = new SecretResolver(() -> null);
    PostgresConnector connector = new PostgresConnector(secrets);
    return new AssessmentActivitiesImpl(
        registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting())));
  }

  @Test
  void containerizedPostgresAcceptsConnectionsAndReportsItsUsage() throws Exception {
    AssessmentActivitiesImpl a = activities();
    assertThat(a.checkReadiness("container").state()).isEqualTo(ReadinessState.ACCEPTING);
    ServerIdentity server = a.checkServerIdentity("container");
    assertThat(server.serverVersionNum()).isBetween(150000, 159999);
    ConnectionUsage usage = a.checkConnectionUsage("container");
    assertThat(usage.clientBackends()).isGreaterThanOrEqualTo(1);
    assertThat(usage.maxConnections()).isPositive();
  }
}
