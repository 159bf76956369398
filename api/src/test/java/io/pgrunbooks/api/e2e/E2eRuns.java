package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What the crash tests do to a run over HTTP: wait for it, approve its gates, find its tools. */
final class E2eRuns {
  private E2eRuns() {}

  /** The run's status once it left RUNNING (up to five minutes of ?wait=60). */
  static JsonNode finished(Http http, Http.Response started) {
    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    String url = started.body().get("statusUrl").asText();
    JsonNode status = http.get(url + "?wait=60", StackFixture.VIEWER_TOKEN).body();
    for (int i = 0; i < 4 && status.get("status").asText().equals("RUNNING"); i++) {
      status = http.get(url + "?wait=60", StackFixture.VIEWER_TOKEN).body();
    }
    return status;
  }

  /** Waits for the gate in the run's status, then approves it over the API as bob. */
  static void approve(Http http, String statusUrl, String id, String gateId, String comment) {
    for (int i = 0; i < 1200; i++) {
      JsonNode status = http.get(statusUrl, StackFixture.VIEWER_TOKEN).body();
      for (JsonNode gate : status.path("awaitingApproval")) {
        if (gate.path("gateId").asText().equals(gateId)) {
          Http.Response sent = http.post("/api/approvals/" + id, StackFixture.APPROVER_TOKEN,
              "{\"gateId\":\"" + gateId + "\",\"decision\":\"approve\",\"digest\":\"" + gate.path("digest").asText()
                  + "\",\"comment\":\"" + comment + "\"}");
          assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
          return;
        }
      }
      assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("RUNNING");
      Processes.sleep(100);
    }
    throw new AssertionError("gate " + gateId + " never opened");
  }

  /** The pid of a {@code command} process under the worker JVM (also under runuser), once one runs. */
  static long awaitChild(JavaProcess worker, String command) {
    return awaitChild(worker, command, args -> true);
  }

  /** The same, for a process whose arguments match (e.g. pgbackrest's restore, not its info). */
  static long awaitChild(JavaProcess worker, String command, Predicate<List<String>> arguments) {
    for (int i = 0; i < 2400; i++) {
      Optional<ProcessHandle> child = ProcessHandle.of(worker.pid()).stream().flatMap(ProcessHandle::descendants)
          .filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
          .filter(p -> arguments.test(p.info().arguments().map(List::of).orElse(List.of())))
          .findFirst();
      if (child.isPresent()) {
        return child.get().pid();
      }
      Processes.sleep(25);
    }
    throw new AssertionError("no " + command + " under the worker; its log:\n" + worker.tail());
  }

  /** How many times each activity type was scheduled (a retry is not a new schedule). */
  static Map<String, Long> scheduled(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .collect(Collectors.groupingBy(
            e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName(), Collectors.counting()));
  }
}
