package io.pgrunbooks.harness;

import io.pgrunbooks.workflows.approval.GateView;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Runs of gated workflows in a test environment: their first gate, and their history kept for the replay test. */
public final class GatedRuns {
  private GatedRuns() {}

  /**
   * The run's newest gate once it is open, polled through its approvals query without blocking on
   * the result (time skipping would otherwise time the gate out). Two minutes at most: a gate may
   * follow a restore or a backup on a shared, loaded machine.
   */
  public static GateView awaitGate(Supplier<List<GateView>> approvals) throws InterruptedException {
    return awaitGate(approvals, null);
  }

  /** The same, for the gate {@code gateId} (null: any). */
  public static GateView awaitGate(Supplier<List<GateView>> approvals, String gateId) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      List<GateView> gates = approvals.get();
      if (!gates.isEmpty()) {
        GateView newest = gates.get(gates.size() - 1);
        if (newest.open() && (gateId == null || newest.gateId().equals(gateId))) {
          return newest;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gate " + (gateId == null ? "" : gateId + " ") + "did not open within 2 minutes");
  }

  /** Saves the run's history as target/histories/NAME.json: recordings for the replay test come from real runs. */
  public static void saveHistory(WorkflowClient client, Object workflow, String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "histories"));
    Files.writeString(dir.resolve(name + ".json"),
        client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId()).toJson(true));
  }
}
