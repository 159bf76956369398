package io.pgrunbooks.api.e2e;

import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.S3ProxyServer;
import io.pgrunbooks.harness.TemporalDevServer;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** bob: viewer and approver. */
  static final String APPROVER_TOKEN = "approver-token-" + java.util.UUID.randomUUID();
  /** carol: operator and approver, so that she may start a run and, but for it being hers, approve it. */
  static final String OPERATOR_APPROVER_TOKEN = "operator-approver-token-" + java.util.UUID.randomUUID();
  /** The backup passphrase: it must never show up in any workflow history. */
  static final String BACKUP_PASSPHRASE = "e2e-passphrase-" + java.util.UUID.randomUUID();
  static final List<String> DATABASES = List.of("link_users", "link_chat");

  private static Path backupKeyFile;
  private static Path signingKeyFile;

  private static PostgresCluster demo;
  private static WorkflowServiceStubs service;

  private StackFixture() {}

  static synchronized PostgresCluster demo() {
    if (demo == null) {
      demo = PostgresCluster.start("e2e-demo", Map.of());
      Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
      demo.execute("postgres", "create database link_users", "create database link_chat");
      demo.execute(
          "link_users",
          "create table users (id bigserial primary key, email text unique, created_at timestamptz default now())",
          "insert into users (email) select 'u' || g || '@example.com' from generate_series(1, 3000) g");
      demo.execute(
          "link_chat",
          "create table messages (id bigserial primary key, user_id bigint, body text, created_at timestamptz default now())",
          "insert into messages (user_id, body) select g % 300, md5(g::text) from generate_series(1, 8000) g");
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
    registry.add("pgrunbooks.approvals.signing-key-ref", StackFixture::signingKeyRef);
    // alice operates, victor views, bob approves, carol operates and approves.
    List<List<String>> tokens =
        List.of(
            List.of("alice", OPERATOR_TOKEN, "viewer,operator"),
            List.of("victor", VIEWER_TOKEN, "viewer"),
            List.of("bob", APPROVER_TOKEN, "viewer,approver"),
            List.of("carol", OPERATOR_APPROVER_TOKEN, "viewer,operator,approver"));
    for (int i = 0; i < tokens.size(); i++) {
      List<String> t = tokens.get(i);
      registry.add("pgrunbooks.security.tokens[" + i + "].name", () -> t.get(0));
      registry.add("pgrunbooks.security.tokens[" + i + "].token", () -> t.get(1));
      registry.add("pgrunbooks.security.tokens[" + i + "].roles", () -> t.get(2));
    }
  }

  /** The worker's command-line properties: the same Temporal server, task queue and target. */
  static Map<String, String> workerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.temporal.connection.target", TemporalDevServer.shared().target());
    p.put("pgrunbooks.task-queue", TASK_QUEUE);
    p.put("server.port", "0"); // several workers may run at once: each its own actuator port
    p.put("pgrunbooks.approvals.signing-key-ref", signingKeyRef());
    p.putAll(HostTargets.asProperties("demo", demo()));
    for (int i = 0; i < DATABASES.size(); i++) {
      p.put("pgrunbooks.targets.demo.databases[" + i + "]", DATABASES.get(i));
    }
    S3ProxyServer s3 = S3ProxyServer.shared();
    p.put("pgrunbooks.stores.e2e.endpoint", s3.endpoint().toString());
    p.put("pgrunbooks.stores.e2e.bucket", s3.bucket());
    p.put("pgrunbooks.stores.e2e.access-key-ref", s3.accessKeyRef());
    p.put("pgrunbooks.stores.e2e.secret-key-ref", s3.secretKeyRef());
    p.put("pgrunbooks.targets.demo.backup.store", "e2e");
    p.put("pgrunbooks.targets.demo.backup.key-ref", "file:" + backupKeyFile());
    return p;
  }

  static synchronized Path backupKeyFile() {
    if (backupKeyFile == null) {
      try {
        backupKeyFile = java.nio.file.Files.createTempFile("e2e-backup-key-", "");
        java.nio.file.Files.writeString(backupKeyFile, BACKUP_PASSPHRASE);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return backupKeyFile;
  }

  /** The key the API signs decisions with and the workers verify them with: the same file for both. */
  static synchronized String signingKeyRef() {
    if (signingKeyFile == null) {
      try {
        signingKeyFile = java.nio.file.Files.createTempFile("e2e-approval-signing-key-", "");
        java.nio.file.Files.writeString(signingKeyFile, "e2e-signing-key-" + java.util.UUID.randomUUID());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return "file:" + signingKeyFile;
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
    return startWorker(Map.of());
  }

  /** A worker with some properties changed (e.g. server.port, to read its metrics). */
  static JavaProcess startWorker(Map<String, String> overrides) {
    Map<String, String> properties = workerProperties();
    properties.putAll(overrides);
    JavaProcess worker = JavaProcess.start("worker", workerJar(), properties);
    try {
      worker.awaitPolling(service(), TASK_QUEUE, Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }
}
