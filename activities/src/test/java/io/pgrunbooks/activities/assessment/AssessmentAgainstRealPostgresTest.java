package io.pgrunbooks.activities.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetActivitiesImpl;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflowImpl;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.CheckStatus;
import io.pgrunbooks.workflows.assessment.ConnectionUsage;
import io.pgrunbooks.workflows.assessment.HealthAssessment;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.Scenario;
import io.pgrunbooks.workflows.assessment.Severity;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The assessment with its real activities against real PostgreSQL clusters (initdb'd by the
 * harness), the workflow in temporal-testing's environment.
 */
class AssessmentAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "assessment-it";
  private static PostgresCluster healthy;
  private static PostgresCluster crowded;

  private TestWorkflowEnvironment env;
  private AssessmentActivitiesImpl activities;
  private final List<Connection> held = new ArrayList<>();

  @BeforeAll
  static void startClusters() {
    healthy = PostgresCluster.start("healthy", Map.of());
    crowded = PostgresCluster.start("crowded", Map.of("max_connections", "40"));
  }

  @AfterAll
  static void stopClusters() {
    healthy.close();
    crowded.close();
  }

  @BeforeEach
  void worker() {
    startWorker(
        Map.of(
            "healthy", HostTargets.of(healthy, List.of("postgres")),
            "crowded", HostTargets.of(crowded, List.of("postgres"))));
  }

  /** A test environment whose worker runs the real activities against these targets. */
  private void startWorker(Map<String, TargetConfig> targets) {
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(targets));
    Supplier<KubernetesClient> noKubernetes =
        () -> {
          throw new IllegalStateException("host targets need no Kubernetes");
        };
    PostgresConnector connector = new PostgresConnector(new SecretResolver(noKubernetes));
    activities =
        new AssessmentActivitiesImpl(
            registry,
            connector,
            new ReadinessProbe(connector),
            new ClusterHostings(List.of(new LocalClusterHosting())));
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(AssessDatabaseHealthWorkflowImpl.class);
    worker.registerActivitiesImplementations(new TargetActivitiesImpl(registry), activities);
    env.start();
  }

  @AfterEach
  void release() throws SQLException {
    for (Connection c : held) {
      c.close();
    }
    env.close();
  }

  private HealthAssessment assess(String target) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            AssessDatabaseHealthWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build())
        .assess(new AssessmentRequest(target, "test"));
  }

  private static CheckReport check(HealthAssessment a, String name) {
    return a.checks().stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void healthyClusterAcceptsConnectionsAndNeedsNoResponse() {
    HealthAssessment a = assess("healthy");

    assertThat(a.severity()).as(a.reasons().toString()).isEqualTo(Severity.NONE);
    assertThat(a.findings().readiness().state()).isEqualTo(ReadinessState.ACCEPTING);
    assertThat(a.findings().server().version()).startsWith("PostgreSQL ");
    assertThat(a.findings().server().inRecovery()).isFalse();
    assertThat(a.findings().connections().maxConnections()).isEqualTo(100);
    assertThat(a.findings().storage().path()).isEqualTo(healthy.dataDirectory().toString());
    assertThat(a.findings().storage().totalBytes()).isPositive();
    assertThat(a.findings().resources().memoryTotalBytes()).isPositive();
    assertThat(a.findings().replication().replicas()).isEmpty();
    assertThat(check(a, "database pods").status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(check(a, "database pods").summary()).contains("host hosting has no pods");
    assertThat(check(a, "persistent volumes").status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(check(a, "application logs").status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
  }

  @Test
  void nearlyExhaustedConnectionsReportTheirPercentageAndSev2() throws SQLException {
    for (int i = 0; i < 35; i++) {
      held.add(crowded.connect("postgres"));
    }

    // The check alone: 35 held + its own = 36 of 40.
    ConnectionUsage usage = activities.checkConnectionUsage("crowded");
    assertThat(usage.clientBackends()).isEqualTo(36);
    assertThat(usage.maxConnections()).isEqualTo(40);
    assertThat(usage.percentUsed()).isEqualTo(90.0);
    assertThat(usage.byState()).containsEntry("idle", 35);

    // The whole assessment (its SQL checks run in parallel, so 36 to 39 are in use).
    HealthAssessment a = assess("crowded");
    assertThat(a.severity()).isEqualTo(Severity.SEV_2);
    assertThat(a.scenario()).isEqualTo(Scenario.RELIEVE_CONNECTION_EXHAUSTION);
    assertThat(a.findings().connections().percentUsed()).isBetween(90.0, 97.5);
    assertThat(a.reasons().get(0)).startsWith("connection exhaustion: ");
  }

  @Test
  void stoppedClusterIsSev1AndTheRunStillCompletes() {
    PostgresCluster doomed = PostgresCluster.start("doomed", Map.of());
    try {
      // Register it, then stop it: the database is down, its data directory still there.
      env.close();
      startWorker(Map.of("doomed", HostTargets.of(doomed, List.of())));
      doomed.stop();

      HealthAssessment a = assess("doomed");

      assertThat(a.severity()).isEqualTo(Severity.SEV_1);
      assertThat(a.scenario()).isEqualTo(Scenario.RECOVER_CRASHED_POD);
      assertThat(a.findings().readiness().state()).isEqualTo(ReadinessState.NO_RESPONSE);
      assertThat(a.findings().readiness().detail()).containsIgnoringCase("refused");
      assertThat(check(a, "connection usage").status()).isEqualTo(CheckStatus.SKIPPED);
      assertThat(check(a, "disk usage").status()).isEqualTo(CheckStatus.OK);
    } finally {
      doomed.close();
    }
  }
}
