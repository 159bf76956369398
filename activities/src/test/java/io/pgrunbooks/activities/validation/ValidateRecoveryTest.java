package io.pgrunbooks.activities.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgrunbooks.activities.assessment.AssessmentActivitiesImpl;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflow;
import io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflowImpl;
import io.pgrunbooks.workflows.validation.ValidationReport;
import io.pgrunbooks.workflows.validation.ValidationRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Post-recovery health checks on a real cluster, with real HTTP health endpoints (one healthy, one failing, one gone). */
class ValidateRecoveryTest {
  static PostgresCluster cluster;
  static PostgresCluster stopped;
  static HttpServer applications;

  TestWorkflowEnvironment env;

  @BeforeAll
  static void start() throws Exception {
    cluster = PostgresCluster.start("validate", Map.of());
    cluster.execute("postgres", "create database link_users");
    cluster.execute("link_users", "create table users (id int)", "insert into users select generate_series(1, 100)", "select count(*) from users");
    stopped = PostgresCluster.start("validate-down", Map.of());
    stopped.stop();
    applications = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    applications.createContext("/health", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    applications.createContext("/broken/health", x -> {
      x.sendResponseHeaders(503, -1);
      x.close();
    });
    applications.start();
  }

  @AfterAll
  static void stop() {
    applications.stop(0);
    cluster.close();
    stopped.close();
  }

  @BeforeEach
  void worker() {
    String base = "http://127.0.0.1:" + applications.getAddress().getPort();
    List<String> urls = List.of(base + "/health", base + "/broken/health", "http://127.0.0.1:" + Processes.freePort() + "/health");
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(
        "link", withHealthUrls(HostTargets.of(cluster, List.of("link_users")), urls),
        "down", withHealthUrls(HostTargets.of(stopped, List.of("link_users")), List.of(base + "/health")))));
    PostgresConnector connector = new PostgresConnector(new SecretResolver(() -> null));
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker("validate");
    worker.registerWorkflowImplementationTypes(ValidateRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ValidationActivitiesImpl(registry, connector),
        new AssessmentActivitiesImpl(registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting()))));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private ValidationReport validate(String target) {
    return env.getWorkflowClient()
        .newWorkflowStub(ValidateRecoveryWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("validate").build())
        .validate(new ValidationRequest(target, "alice"));
  }

  @Test
  void aRunningClusterIsReadyAndTheFailingApplicationsAreNamed() throws Exception {
    try (Connection idle = cluster.connect("link_users")) {
      ValidationReport report = validate("link");

      assertThat(report.readiness().accepting()).isTrue();
      assertThat(report.replication().replicas()).isEmpty();
      assertThat(report.connectionsByState()).containsKey("idle").containsKey("active").containsKey("background");
      assertThat(report.databases()).singleElement().satisfies(db -> {
        assertThat(db.database()).isEqualTo("link_users");
        assertThat(db.backends()).isGreaterThanOrEqualTo(1);
        assertThat(db.tuplesInserted()).isGreaterThanOrEqualTo(100);
        assertThat(db.cacheHitRatio()).isBetween(0.0, 1.0);
      });
      assertThat(report.applications()).extracting(h -> h.status()).containsExactly(200, 503, 0);
      assertThat(report.problems()).hasSize(2)
          .anySatisfy(p -> assertThat(p).endsWith("/broken/health answered HTTP 503"))
          .anySatisfy(p -> assertThat(p).contains("answered nothing (ConnectException"));
      assertThat(report.healthy()).isFalse();
    }
  }

  @Test
  void aClusterThatIsDownIsAFindingNotAFailedRun() {
    ValidationReport report = validate("down");

    assertThat(report.readiness().accepting()).isFalse();
    assertThat(report.problems()).singleElement().asString().startsWith("the server is not accepting connections: NO_RESPONSE");
    assertThat(report.connectionsByState()).isEmpty();
    assertThat(report.applications()).singleElement().satisfies(h -> assertThat(h.healthy()).isTrue());
  }

  private static TargetConfig withHealthUrls(TargetConfig t, List<String> urls) {
    return new TargetConfig(t.hosting(), t.primary(), t.replicas(), t.databases(), t.applicationDeployments(), t.kubernetes(),
        t.host(), t.thresholds(), t.backup(), t.restore(), t.pitr(), urls);
  }
}
