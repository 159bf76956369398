package io.pgrunbooks.activities.prevention;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.prevention.EnablePgStatStatementsWorkflow;
import io.pgrunbooks.workflows.prevention.EnablePgStatStatementsWorkflowImpl;
import io.pgrunbooks.workflows.prevention.PreventionRequest;
import io.pgrunbooks.workflows.prevention.PreventionResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runbook against a real PostgreSQL 15 that has never loaded pg_stat_statements: each test
 * gets a new cluster, since the approved run changes the server's configuration.
 */
class EnablePgStatStatementsAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "prevention";
  private static final List<String> DATABASES = List.of("app_one", "app_two");

  private PostgresCluster cluster;
  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    cluster = PostgresCluster.start("prevention", Map.of());
    cluster.execute("postgres", "create database app_one", "create database app_two");
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("pg", HostTargets.of(cluster, DATABASES))));
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    SecretResolver secrets = new SecretResolver(noKubernetes);
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(EnablePgStatStatementsWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), new PreventionActivitiesImpl(registry, new PostgresConnector(secrets), secrets));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    cluster.close();
  }

  @Test
  void approvedStepsPreloadTheLibraryRestartAndCreateTheExtensionSoStatementsAreRecorded() throws Exception {
    long postmaster = cluster.postmasterPid();
    EnablePgStatStatementsWorkflow wf = run();
    GateView preload = awaitGate(wf, 1);
    assertThat(setting()).as("nothing changed before the approval").doesNotContain("pg_stat_statements");
    wf.approve(new ApprovalDecision(preload.gateId(), "bob", preload.digest(), "ok", null));
    GateView create = awaitGate(wf, 2);
    assertThat(create.description()).contains("in database(s) app_one, app_two");
    wf.approve(new ApprovalDecision(create.gateId(), "bob", create.digest(), "ok", null));
    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);

    assertThat(result.outcome()).isEqualTo("DONE");
    assertThat(result.before().preloaded()).isFalse();
    assertThat(result.before().missingIn()).containsExactlyElementsOf(DATABASES);
    assertThat(result.after().readableIn()).containsExactlyElementsOf(DATABASES);
    assertThat(cluster.postmasterPid()).as("the server was restarted").isNotEqualTo(postmaster);
    assertThat(setting()).isEqualTo("pg_stat_statements");
    cluster.execute("app_one", "create table t (id int)", "select count(*) from t");
    try (Connection c = cluster.connect("app_one");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_stat_statements where query like 'select count(*) from t%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("statements are recorded now").isEqualTo(1);
    }
  }

  @Test
  void aRejectedRestartLeavesTheServerAsItWas() throws Exception {
    long postmaster = cluster.postmasterPid();
    EnablePgStatStatementsWorkflow wf = run();
    GateView preload = awaitGate(wf, 1);
    wf.reject(new ApprovalDecision(preload.gateId(), "bob", preload.digest(), "not now", null));
    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);

    assertThat(result.outcome()).isEqualTo("REJECTED");
    assertThat(cluster.postmasterPid()).as("no restart").isEqualTo(postmaster);
    assertThat(setting()).doesNotContain("pg_stat_statements");
    try (Connection c = cluster.connect("app_one");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_extension where extname = 'pg_stat_statements'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no extension created").isZero();
    }
  }

  private EnablePgStatStatementsWorkflow run() {
    EnablePgStatStatementsWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        EnablePgStatStatementsWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(wf::enable, new PreventionRequest("pg", null, false, "alice"));
    return wf;
  }

  private String setting() throws SQLException {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("show shared_preload_libraries")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Polls the query without blocking on the result: time skipping would otherwise time the gate out. */
  private static GateView awaitGate(EnablePgStatStatementsWorkflow wf, int count) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      List<GateView> gates = wf.approvals();
      if (gates.size() >= count && gates.get(count - 1).open()) {
        return gates.get(count - 1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gate " + count + " did not open within 60 s");
  }
}
