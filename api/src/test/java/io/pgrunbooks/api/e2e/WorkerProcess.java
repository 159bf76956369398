package io.pgrunbooks.api.e2e;

import io.pgrunbooks.harness.Processes;
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
 * The real worker, as users run it: the workers module's executable jar in its own JVM, so that a
 * test can SIGKILL it in the middle of an activity.
 */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("workers.jar", "../workers/target/workers-exec.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "worker jar " + jar.toAbsolutePath() + " not built: run ./mvnw verify (or -pl api -am verify)");
    }
    return jar;
  }

  /** Starts a worker with the given Spring properties and waits until it polls its task queue. */
  static WorkerProcess start(
      Map<String, String> properties, String taskQueue, WorkflowServiceStubs service) {
    try {
      Path log = Files.createTempFile("pgrb-worker-", ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.add("-jar");
      command.add(jar().toString());
      properties.forEach((k, v) -> command.add("--" + k + "=" + v));
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      WorkerProcess worker = new WorkerProcess(process, log);
      worker.awaitPolling(taskQueue, service);
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitPolling(String taskQueue, WorkflowServiceStubs service) {
    String identityPrefix = process.pid() + "@";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("worker exited with " + process.exitValue() + ":\n" + tail());
      }
      if (polls(service, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, identityPrefix)
          && polls(service, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, identityPrefix)) {
        return;
      }
      Processes.sleep(200);
    }
    throw new IllegalStateException("worker did not poll " + taskQueue + " within 90 s:\n" + tail());
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

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no graceful stop; the activity in flight is simply gone. */
  void kill() throws InterruptedException {
    Processes.signal(process.pid(), "KILL");
    process.waitFor();
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(15), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
