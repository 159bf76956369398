package io.pgrunbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.TemporalDevServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stack as the end-to-end tests run it, all on loopback: the Temporal dev server and a
 * PostgreSQL cluster (target "demo", host hosting) from the harness, the worker's and the API's
 * executable jars each in its own JVM.
 */
final class BenchStack implements AutoCloseable {
  static final String TARGET = "demo";
  static final String TASK_QUEUE = "pg-runbooks-bench";
  static final Duration STARTUP = Duration.ofSeconds(120);
  private static final String BUILD = "run bash bench/run.sh";
  private static final String SIGNING_KEY_REF = "pgrunbooks.approvals.signing-key-ref";
  /** The run a gate belongs to (its own or a child's), from the approve command's URL. */
  private static final Pattern WORKFLOW_ID = Pattern.compile("/api/approvals/([^' ]+)'");
  private static final long POLL_MS = 50;

  final String operatorToken = "bench-operator-" + UUID.randomUUID();
  /** May approve gates (and view); not the operator, who may not approve a run of theirs. */
  final String approverToken = "bench-approver-" + UUID.randomUUID();
  final Path logDir;
  private final Path workerJar;
  private final Path apiJar;
  /**
   * The key the API signs approval decisions with and the worker verifies them with (both since the
   * approvals were signed: a worker without it refuses every approval made through the API, and a
   * benchmark's gates would never open). A file only its owner reads, deleted at close.
   */
  private final Path signingKey;
  /** More targets: their names (for the API) and the worker's properties for them. */
  private final List<String> extraTargets;
  private final Map<String, String> extraWorkerProperties;
  /** The demo cluster's server settings (e.g. logging_collector). */
  private final Map<String, String> demoSettings;
  /** Run once the demo cluster is up, before the worker starts: more worker properties for it (e.g. its replica's). */
  private final Function<PostgresCluster, Map<String, String>> prepareDemo;
  private final Map<String, String> demoWorkerProperties = new LinkedHashMap<>();

  private TemporalDevServer temporal;
  private Thread temporalCleanup;
  private PostgresCluster demo;
  private WorkflowServiceStubs service;
  private WorkflowClient client;
  private JavaProcess api;
  private JavaProcess worker;
  private int apiPort;

  private BenchStack(
      Path root, List<String> extraTargets, Map<String, String> extraWorkerProperties, Map<String, String> demoSettings,
      Function<PostgresCluster, Map<String, String>> prepareDemo) {
    this.extraTargets = List.copyOf(extraTargets);
    this.extraWorkerProperties = Map.copyOf(extraWorkerProperties);
    this.demoSettings = Map.copyOf(demoSettings);
    this.prepareDemo = prepareDemo;
    String version = version();
    this.workerJar = JavaProcess.requireJar(root.resolve("workers/target/workers-" + version + "-exec.jar"), BUILD);
    this.apiJar = JavaProcess.requireJar(root.resolve("api/target/api-" + version + "-exec.jar"), BUILD);
    this.logDir = root.resolve("bench/target/logs");
    this.signingKey = signingKey();
  }

  private static Path signingKey() {
    try {
      Path key = Files.createTempFile("bench-approval-signing-key-", "",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, "bench-signing-key-" + UUID.randomUUID());
      key.toFile().deleteOnExit();
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String version() {
    try (InputStream in = BenchStack.class.getResourceAsStream("/bench.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts everything; on failure, stops whatever had started. */
  static BenchStack start(Path root) {
    return start(root, List.of(), Map.of());
  }

  /** The same, with more host targets configured on the worker (and their names on the API). */
  static BenchStack start(Path root, List<String> extraTargets, Map<String, String> extraWorkerProperties) {
    return start(root, extraTargets, extraWorkerProperties, Map.of(), demo -> Map.of());
  }

  /**
   * The same, with the demo cluster started with {@code demoSettings} and handed to {@code
   * prepareDemo} before the worker starts; what that returns is added to the worker's properties.
   */
  static BenchStack start(
      Path root, Map<String, String> demoSettings, Function<PostgresCluster, Map<String, String>> prepareDemo) {
    return start(root, List.of(), Map.of(), demoSettings, prepareDemo);
  }

  /** Both: more host targets, and worker properties that need the demo cluster (see above). */
  static BenchStack start(
      Path root, List<String> extraTargets, Map<String, String> extraWorkerProperties, Map<String, String> demoSettings,
      Function<PostgresCluster, Map<String, String>> prepareDemo) {
    BenchStack stack = new BenchStack(root, extraTargets, extraWorkerProperties, demoSettings, prepareDemo);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() {
    log("starting the Temporal dev server");
    temporal = TemporalDevServer.start();
    TemporalDevServer server = temporal;
    temporalCleanup =
        new Thread(
            () -> {
              server.close();
              deleteQuietly(server.log().getParent());
            });
    Runtime.getRuntime().addShutdownHook(temporalCleanup);
    log("starting PostgreSQL (target " + TARGET + ", host hosting)");
    demo = PostgresCluster.start("bench-demo", demoSettings);
    demoWorkerProperties.putAll(prepareDemo.apply(demo));
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
    client =
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());

    apiPort = Processes.freePort();
    log("starting the API jar on 127.0.0.1:" + apiPort + " and the worker jar");
    api = JavaProcess.start("api", apiJar, apiProperties(), logDir);
    long t = System.nanoTime();
    worker = JavaProcess.start("worker", workerJar, workerProperties(), logDir);
    worker.awaitPolling(service, TASK_QUEUE, STARTUP);
    log(String.format("worker polling after %.1f s", (System.nanoTime() - t) / 1e9));
    api.awaitHealthy(apiPort, STARTUP);
    log(String.format("API healthy after %.1f s", (System.nanoTime() - t) / 1e9));
  }

  private Map<String, String> apiProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("server.address", "127.0.0.1");
    p.put("server.port", Integer.toString(apiPort));
    p.put("spring.temporal.connection.target", temporal.target());
    p.put("pgrunbooks.task-queue", TASK_QUEUE);
    p.put("pgrunbooks.web-ui-url", "http://127.0.0.1:" + temporal.uiPort());
    p.put("pgrunbooks.targets." + TARGET + ".hosting", "host");
    p.put("pgrunbooks.security.tokens[0].name", "bench");
    p.put("pgrunbooks.security.tokens[0].token", operatorToken);
    p.put("pgrunbooks.security.tokens[0].roles", "viewer,operator");
    p.put("pgrunbooks.security.tokens[1].name", "bench-approver");
    p.put("pgrunbooks.security.tokens[1].token", approverToken);
    p.put("pgrunbooks.security.tokens[1].roles", "viewer,approver");
    p.put(SIGNING_KEY_REF, "file:" + signingKey);
    extraTargets.forEach(t -> p.put("pgrunbooks.targets." + t + ".hosting", "host"));
    return p;
  }

  private Map<String, String> workerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.temporal.connection.target", temporal.target());
    p.put("pgrunbooks.task-queue", TASK_QUEUE);
    p.put("server.port", "0"); // the worker serves actuator; any free port
    p.put(SIGNING_KEY_REF, "file:" + signingKey);
    p.putAll(HostTargets.asProperties(TARGET, demo));
    p.putAll(demoWorkerProperties);
    p.putAll(extraWorkerProperties);
    return p;
  }

  /** A fresh worker JVM, replacing the current one (which must be dead); returns ms until it polls. */
  double replaceWorker() {
    long t = System.nanoTime();
    worker = JavaProcess.start("worker", workerJar, workerProperties(), logDir);
    worker.awaitPolling(service, TASK_QUEUE, STARTUP);
    return (System.nanoTime() - t) / 1e6;
  }

  JavaProcess worker() {
    return worker;
  }

  PostgresCluster demo() {
    return demo;
  }

  WorkflowServiceStubs service() {
    return service;
  }

  WorkflowClient client() {
    return client;
  }

  Http http() {
    return new Http(apiPort);
  }

  /** POST /api/runs as the operator; anything but 202 Accepted is an error naming {@code what}. */
  Http.Response startRun(Http http, String what, String body) {
    Http.Response started = http.post("/api/runs", operatorToken, body);
    if (started.status() != 202) {
      throw new IllegalStateException("POST /api/runs (" + what + "): " + started.status() + " " + started.raw());
    }
    return started;
  }

  /**
   * The run's status once it is no longer RUNNING, by GET ?wait=30 (one long poll, which returns as
   * the run finishes: no load on the API and the server meanwhile). A run that lists an open gate
   * would wait for a person: an error.
   */
  JsonNode awaitFinished(Http http, String statusUrl) {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = http.get(statusUrl + "?wait=30", operatorToken).body();
      if (!"RUNNING".equals(status.path("status").asText())) {
        return status;
      }
      if (!status.path("awaitingApproval").isEmpty()) {
        throw new IllegalStateException("the run " + statusUrl + " waits at a gate nobody approves: " + status.path("awaitingApproval"));
      }
    }
    throw new IllegalStateException("the run " + statusUrl + " did not finish within 30 minutes");
  }

  /**
   * Polls the run's status every {@value #POLL_MS} ms; approves each gate it lists (its own or its
   * running children's, on the workflow id its approve command names) once, as another user than the
   * requester, through the API (which signs the decision; the status offers no Temporal command to
   * approve since approvals are signed). Returns the status once not RUNNING.
   */
  JsonNode approveUntilDone(Http http, String statusUrl) {
    Set<String> approved = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = http.get(statusUrl, operatorToken).body();
      if (!"RUNNING".equals(status.path("status").asText())) {
        return status;
      }
      approveListed(http, status, approved);
      Processes.sleep(POLL_MS);
    }
    throw new IllegalStateException("the run " + statusUrl + " did not finish within 10 minutes");
  }

  /**
   * For a run with one gate: polls every {@value #POLL_MS} ms until the gate shows, approves it as
   * {@link #approveUntilDone} does, then waits for the end with {@link #awaitFinished}, so that the
   * polling (a status is several DescribeWorkflowExecution calls) does not load the machine while the
   * run works after the approval.
   */
  JsonNode approveOneGateThenAwait(Http http, String statusUrl) {
    Set<String> approved = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (approved.isEmpty() && System.nanoTime() < deadline) {
      JsonNode status = http.get(statusUrl, operatorToken).body();
      if (!"RUNNING".equals(status.path("status").asText())) {
        return status;
      }
      approveListed(http, status, approved);
      if (approved.isEmpty()) {
        Processes.sleep(POLL_MS);
      }
    }
    return awaitFinished(http, statusUrl);
  }

  /** Approves each gate {@code status} lists that is not in {@code approved} yet, and adds it. */
  private void approveListed(Http http, JsonNode status, Set<String> approved) {
    for (JsonNode gate : status.path("awaitingApproval")) {
      Matcher m = WORKFLOW_ID.matcher(gate.at("/approve/curl").asText());
      if (!m.find()) {
        throw new IllegalStateException("no workflow id in the gate's commands: " + gate);
      }
      String workflowId = m.group(1);
      String gateId = gate.path("gateId").asText();
      if (approved.add(workflowId + " " + gateId)) {
        Http.Response sent = http.post("/api/approvals/" + workflowId, approverToken,
            "{\"gateId\":\"" + gateId + "\",\"decision\":\"approve\",\"digest\":\"" + gate.path("digest").asText()
                + "\",\"comment\":\"benchmark\"}");
        if (sent.status() != 202) {
          throw new IllegalStateException("POST /api/approvals/" + workflowId + ": " + sent.status() + " " + sent.raw());
        }
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  static void log(String message) {
    System.err.println("[bench] " + message);
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    if (api != null) {
      api.close();
    }
    if (service != null) {
      service.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
      try {
        Runtime.getRuntime().removeShutdownHook(temporalCleanup);
      } catch (IllegalStateException shuttingDown) {
        // running the hooks already
      }
      deleteQuietly(temporal.log().getParent()); // the harness leaves its SQLite file behind
    }
    if (demo != null) {
      demo.close();
    }
    try {
      Files.deleteIfExists(signingKey);
    } catch (IOException ignored) {
      // deleted at exit
    }
  }
}
