package io.pgrunbooks.harness;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal server: the CLI's {@code temporal server start-dev} (server 1.29 and its Web
 * UI), with a SQLite file and our search attributes, on free loopback ports. The binary is the one
 * {@code .ci/run} builds once and caches ({@code go install github.com/temporalio/cli/cmd/temporal@v1.5.1}).
 */
public final class TemporalDevServer implements AutoCloseable {
  private static TemporalDevServer shared;

  private final Process process;
  private final int port;
  private final int uiPort;
  private final Path directory;

  private TemporalDevServer(Process process, int port, int uiPort, Path directory) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
    this.directory = directory;
  }

  /** One server for the whole test JVM, stopped at exit. */
  public static synchronized TemporalDevServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** Where the CLI is: $TEMPORAL_CLI, the cache .ci/run fills, or PATH. */
  public static Path cli() {
    String env = System.getenv("TEMPORAL_CLI");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path cached = Path.of(System.getProperty("user.home"), ".cache", "pg-runbooks", "bin", "temporal");
    if (Files.isExecutable(cached)) {
      return cached;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "temporal");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Temporal CLI not found. Build it once with: GOBIN=$HOME/.cache/pg-runbooks/bin go install"
            + " github.com/temporalio/cli/cmd/temporal@v1.5.1 (bash .ci/run does this), or set TEMPORAL_CLI.");
  }

  public static TemporalDevServer start() {
    try {
      Path dir = Files.createTempDirectory("pgrb-temporal-");
      int port = Processes.freePort();
      int uiPort = port + 1000;
      List<String> command =
          new ArrayList<>(
              List.of(
                  cli().toString(), "server", "start-dev",
                  "--ip", "127.0.0.1",
                  "--port", Integer.toString(port),
                  "--ui-port", Integer.toString(uiPort),
                  "--db-filename", dir.resolve("temporal.db").toString(),
                  "--log-level", "warn",
                  // WAL with synchronous=normal survives a crash of the server process (not of the
                  // machine) and cuts each history write's fsync; eager activities go straight back
                  // to the worker that scheduled them. Together they halve a short run's latency.
                  "--sqlite-pragma", "journal_mode=wal",
                  "--sqlite-pragma", "synchronous=normal",
                  "--dynamic-config-value", "system.enableActivityEagerExecution=true"));
      RunbookSearchAttributes.ALL.forEach(
          (name, type) -> command.addAll(List.of("--search-attribute", name + "=" + type)));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile())
              .start();
      TemporalDevServer server = new TemporalDevServer(process, port, uiPort, dir);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    Processes.awaitPort(port, Duration.ofSeconds(60), process);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newConnectedServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build(),
            Duration.ofSeconds(30));
    try {
      stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      stubs.shutdownNow();
    }
  }

  /** host:port for clients and workers. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public int uiPort() {
    return uiPort;
  }

  public Path log() {
    return directory.resolve("server.log");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
