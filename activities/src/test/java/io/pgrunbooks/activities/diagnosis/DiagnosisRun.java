package io.pgrunbooks.activities.diagnosis;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.artifacts.ArtifactStore;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetActivitiesImpl;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflow;
import io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.diagnosis.DiagnosisReport;
import io.pgrunbooks.workflows.diagnosis.DiagnosisRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/** The real DiagnoseDatabase workflow with the real activities in temporal-testing's environment. */
final class DiagnosisRun implements AutoCloseable {
  private static final String TASK_QUEUE = "diagnosis";

  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private String workflowId;

  DiagnosisRun(String name, TargetConfig target, ArtifactStore artifacts) {
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(name, target)));
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(DiagnoseDatabaseWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new DiagnosisActivitiesImpl(registry, new PostgresConnector(new SecretResolver(noKubernetes)), noKubernetes, artifacts),
        new TargetActivitiesImpl(registry));
    env.start();
  }

  /** Runs the diagnosis of {@code target} to its result, under {@code workflowId}. */
  DiagnosisReport diagnose(String target, String workflowId) {
    this.workflowId = workflowId;
    DiagnoseDatabaseWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        DiagnoseDatabaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
    return wf.diagnose(new DiagnosisRequest(target, "alice"));
  }

  /** Keeps the last run's history under target/histories/ (recordings for the replay test come from real runs). */
  void saveHistory(String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "histories"));
    Files.writeString(dir.resolve(name + ".json"), env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
  }

  @Override
  public void close() {
    env.close();
  }
}
