package io.pgrunbooks.harness;

import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spring Boot executable jar (the worker's or the API's) in its own JVM, configured by
 * {@code --key=value} command-line properties as users run it, so that a caller can SIGKILL it in
 * the middle of an activity. Destroyed by {@link #close()} or, failing that, at JVM exit.
 */
public final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Thread cleanup;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.cleanup = new Thread(process::destroyForcibly);
  }

  /** The jar, or a failure saying how to build it. */
  public static Path requireJar(Path jar, String howToBuild) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " not built: " + howToBuild);
    }
    return jar;
  }

  /** Starts {@code java -jar jar --k=v...}, its output in a temporary file {@code pgrb-<name>-*.log}. */
  public static JavaProcess start(String name, Path jar, Map<String, String> properties) {
    return start(name, jar, properties, null);
  }

  /** Starts {@code java -jar jar --k=v...}, its output in {@code logDir/<name>-*.log}. */
  public static JavaProcess start(String name, Path jar, Map<String, String> properties, Path logDir) {
    requireJar(jar, "build it first");
    try {
      Path log;
      if (logDir == null) {
        log = Files.createTempFile("pgrb-" + name + "-", ".log");
      } else {
        Files.createDirectories(logDir);
        log = Files.createTempFile(logDir, name + "-", ".log");
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.add("-jar");
      command.add(jar.toString());
      properties.forEach((k, v) -> command.add("--" + k + "=" + v));
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      JavaProcess p = new JavaProcess(name, process, log);
      Runtime.getRuntime().addShutdownHook(p.cleanup);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until GET /actuator/health on the loopback port answers 200. */
  public void awaitHealthy(int port, Duration timeout) {
    Http http = new Http(port);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertAlive();
      try {
        if (http.get("/actuator/health", null).status() == 200) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // connection refused while starting
      }
      Processes.sleep(100);
    }
    throw new IllegalStateException(name + " not healthy within " + timeout + ":\n" + tail());
  }

  /**
   * Waits until this process polls both the workflow and the activity task queue, as Temporal's
   * DescribeTaskQueue reports it (the SDK's default identity starts with {@code <pid>@}).
   */
  public void awaitPolling(WorkflowServiceStubs service, String taskQueue, Duration timeout) {
    String identityPrefix = process.pid() + "@";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertAlive();
      if (polls(service, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, identityPrefix)
          && polls(service, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, identityPrefix)) {
        return;
      }
      Processes.sleep(50);
    }
    throw new IllegalStateException(name + " did not poll " + taskQueue + " within " + timeout + ":\n" + tail());
  }

  private static boolean polls(
      WorkflowServiceStubs service, String taskQueue, TaskQueueType type, String identityPrefix) {
    return service
        .blockingStub()
        .describeTaskQueue(
            DescribeTaskQueueRequest.newBuilder()
                .setNamespace("default")
                .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).build())
                .setTaskQueueType(type)
                .build())
        .getPollersList()
        .stream()
        .anyMatch(p -> p.getIdentity().startsWith(identityPrefix));
  }

  private void assertAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * SIGKILL: no shutdown hook, no graceful stop; the activity in flight is simply gone. Returns the
   * wall-clock millisecond at which the signal was sent.
   */
  public long kill() throws InterruptedException {
    Processes.signal(process.pid(), "KILL");
    long killedAt = System.currentTimeMillis();
    process.waitFor();
    removeHook();
    return killedAt;
  }

  /** The last 40 lines of its output. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(15));
    removeHook();
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
