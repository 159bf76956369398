package io.pgrunbooks.workflows.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watch's durable timer, skipped: rules in, four hours, rules out. */
class WatchAfterIncidentWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder().registerWorkflowImplementationTypes(WatchAfterIncidentWorkflowImpl.class).setDoNotStart(true).build();

  private static final String NAME = "pg-runbooks-post-incident-link-inc-42";
  private final WatchActivities rules = mock(WatchActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(rules.installRules(eq("link"), eq(NAME), anyString()))
        .thenAnswer(a -> new InstalledRules("PrometheusRule monitoring/" + NAME, List.of("DatabaseConnectionSpike")));
    worker.registerActivitiesImplementations(rules);
    env.start();
  }

  private static WatchAfterIncidentWorkflow start(WorkflowClient client, Worker worker, int hours) {
    WatchAfterIncidentWorkflow wf = client.newWorkflowStub(
        WatchAfterIncidentWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::watch, new WatchRequest("link", hours, "inc-42", "alice"));
    return wf;
  }

  @Test
  void theRulesStayForTheSeedsFourHoursThenGo(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    WatchAfterIncidentWorkflow wf = start(client, worker, 0);
    env.sleep(Duration.ofHours(3).plusMinutes(59));
    verify(rules).installRules(eq("link"), eq(NAME), anyString());
    verify(rules, never()).removeRules("link", NAME);

    WatchResult result = WorkflowStub.fromTyped(wf).getResult(WatchResult.class);
    verify(rules).removeRules("link", NAME);
    assertThat(result.endedBy()).isEqualTo("timer");
    assertThat(Duration.between(Instant.parse(result.installedAt()), Instant.parse(result.removedAt())))
        .isBetween(Duration.ofHours(4), Duration.ofHours(4).plusMinutes(1)); // plus the removal itself
  }

  @Test
  void aStopSignalRemovesThemEarly(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    WatchAfterIncidentWorkflow wf = start(client, worker, 8);
    env.sleep(Duration.ofHours(1));
    wf.stop("bob");
    WatchResult result = WorkflowStub.fromTyped(wf).getResult(WatchResult.class);
    assertThat(result.endedBy()).isEqualTo("bob");
    assertThat(Duration.between(Instant.parse(result.installedAt()), Instant.parse(result.removedAt()))).isLessThan(Duration.ofHours(2));
    verify(rules).removeRules("link", NAME);
  }

  @Test
  void aCancelledWatchStillRemovesItsRules(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    WatchAfterIncidentWorkflow wf = start(client, worker, 4);
    env.sleep(Duration.ofMinutes(30));
    WorkflowStub.fromTyped(wf).cancel();
    assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(WatchResult.class)).isInstanceOf(WorkflowFailedException.class);
    verify(rules, timeout(5000)).removeRules("link", NAME);
  }
}
