package io.pgrunbooks.api.e2e;

import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.TemporalDevServer;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the end-to-end tests share in one JVM: the real Temporal dev server, one PostgreSQL cluster
 * as target "demo", and the API's properties pointing at both. Workers are per test class.
 */
final class StackFixture {
  static final String TASK_QUEUE = "pg-runbooks-e2e";
  static final String OPERATOR_TOKEN = "operator-token-" + java.util.UUID.randomUUID();
  static final String VIEWER_TOKEN = "viewer-token-" + java.util.UUID.randomUUID();

  private static PostgresCluster demo;
  private static WorkflowServiceStubs service;

  private StackFixture() {}

  static synchronized PostgresCluster demo() {
    if (demo == null) {
      demo = PostgresCluster.start("e2e-demo", Map.of());
      Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
    }
    return demo;
  }

  static synchronized WorkflowServiceStubs service() {
    if (service == null) {
      service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(TemporalDevServer.shared().target())
                  .build());
    }
    return service;
  }

  static void apiProperties(DynamicPropertyRegistry registry) {
    registry.add("spring.temporal.connection.target", () -> TemporalDevServer.shared().target());
    registry.add("pgrunbooks.task-queue", () -> TASK_QUEUE);
    registry.add("pgrunbooks.web-ui-url", () -> "http://127.0.0.1:" + TemporalDevServer.shared().uiPort());
    registry.add("pgrunbooks.targets.demo.hosting", () -> "host");
    registry.add("pgrunbooks.security.tokens[0].name", () -> "alice");
    registry.add("pgrunbooks.security.tokens[0].token", () -> OPERATOR_TOKEN);
    registry.add("pgrunbooks.security.tokens[0].roles", () -> "viewer,operator");
    registry.add("pgrunbooks.security.tokens[1].name", () -> "victor");
    registry.add("pgrunbooks.security.tokens[1].token", () -> VIEWER_TOKEN);
    registry.add("pgrunbooks.security.tokens[1].roles", () -> "viewer");
  }

  /** The worker's command-line properties: the same Temporal server, task queue and target. */
  static Map<String, String> workerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.temporal.connection.target", TemporalDevServer.shared().target());
    p.put("pgrunbooks.task-queue", TASK_QUEUE);
    p.putAll(HostTargets.asProperties("demo", demo()));
    return p;
  }

  static Path workerJar() {
    return JavaProcess.requireJar(
        Path.of(System.getProperty("workers.jar", "../workers/target/workers-exec.jar")),
        "run ./mvnw verify (or -pl api -am verify)");
  }

  /**
   * The real worker, as users run it: the workers module's executable jar in its own JVM (so that
   * a test can SIGKILL it in the middle of an activity), once it polls the task queue.
   */
  static JavaProcess startWorker() {
    JavaProcess worker = JavaProcess.start("worker", workerJar(), workerProperties());
    try {
      worker.awaitPolling(service(), TASK_QUEUE, Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }
}
