package io.pgrunbooks.api.e2e;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the history of each end-to-end run under target/histories/, so that new recordings for the
 * replay tests (workflows/src/test/resources/histories/) come from real runs on the real server.
 */
final class Histories {
  private Histories() {}

  static Path save(String workflowId, String name) {
    WorkflowClient client =
        WorkflowClient.newInstance(
            StackFixture.service(), WorkflowClientOptions.newBuilder().setNamespace("default").build());
    try {
      Path dir = Files.createDirectories(Path.of("target", "histories"));
      Path file = dir.resolve(name + ".json");
      Files.writeString(file, client.fetchHistory(workflowId).toJson(true));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
