package io.pgrunbooks.workflows.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class BackupDatabasesWorkflowTest {
  private static final List<String> DATABASES =
      List.of("link_users", "link_chat", "link_ai", "link_discovery", "link_search");

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              BackupDatabasesWorkflowImpl.class, BackupDatabaseWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final BackupActivities activities =
      mock(BackupActivities.class, withSettings().withoutAnnotations());
  private final AtomicInteger dumping = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  private static BackupPlan plan(String label, int parallelism) {
    return new BackupPlan(
        "link", "backups", "link-backups", "postgres-backups", DATABASES, BackupFormat.COMPATIBLE,
        parallelism, "env:BACKUP_KEY", "a1b2c3d4e5f60718", 100000, label);
  }

  private static DatabaseBackup ok(BackupPlan plan, String db) {
    return new DatabaseBackup(
        db, BackupStatus.SUCCEEDED, plan.objectKey(db), plan.objectKey(db) + ".manifest.json",
        1000, "ab".repeat(32), 4000, 3, 120, 50, 1, null, null);
  }

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(activities.planBackup(any(), anyString()))
        .thenAnswer(inv -> plan(inv.getArgument(1), 2));
    when(activities.backupDatabase(any(), anyString()))
        .thenAnswer(
            inv -> {
              int now = dumping.incrementAndGet();
              mostAtOnce.accumulateAndGet(now, Math::max);
              Thread.sleep(200);
              dumping.decrementAndGet();
              return ok(inv.getArgument(0), inv.getArgument(1));
            });
    when(activities.writeRunMetadata(any(), anyList(), anyString()))
        .thenAnswer(
            inv -> {
              BackupPlan p = inv.getArgument(0);
              List<DatabaseBackup> results = inv.getArgument(1);
              return new MetadataWritten(
                  p.metadataKey(),
                  results.stream().filter(DatabaseBackup::succeeded).map(DatabaseBackup::database).toList(),
                  List.of());
            });
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private static BackupRunResult run(WorkflowClient client, Worker worker) {
    return client
        .newWorkflowStub(
            BackupDatabasesWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build())
        .backup(new BackupRequest("link", List.of(), null, 0, null, "alice"));
  }

  @Test
  void everyDatabaseIsBackedUpAtMostTheBoundAtOnceAndLatestMoves(WorkflowClient client, Worker worker) {
    BackupRunResult result = run(client, worker);

    assertThat(result.databases()).extracting(DatabaseBackup::database).containsExactlyElementsOf(DATABASES);
    assertThat(result.databases()).allMatch(DatabaseBackup::succeeded);
    assertThat(result.label()).matches("\\d{8}_\\d{6}");
    assertThat(result.metadataKey()).isEqualTo("postgres-backups/manual/manual-backup-" + result.label() + "-metadata.json");
    assertThat(result.databases().get(0).objectKey())
        .isEqualTo("postgres-backups/manual/manual-backup-" + result.label() + "-link_users.sql.enc");
    assertThat(result.latestMoved()).isTrue();
    assertThat(mostAtOnce.get()).isEqualTo(2);
    verify(activities).moveLatestPointers(any(), eq(DATABASES), eq(true));
    for (String db : DATABASES) {
      verify(activities).recordBackupOutcome("link", db, true, null);
    }
  }

  /** Each database's child run is found in the Web UI like any run: by runbook, target and requester, with a summary. */
  @Test
  void eachDatabasesChildRunCarriesTheSearchAttributesAndASummary(WorkflowClient client, Worker worker) {
    BackupRunResult result = run(client, worker);
    io.temporal.client.WorkflowExecutionDescription child =
        client.newUntypedWorkflowStub("backup-database/link/link_chat/" + result.label()).describe();
    assertThat(child.getTypedSearchAttributes().get(RunbookSearchAttributes.RUNBOOK)).isEqualTo(BackupDatabaseWorkflow.TYPE);
    assertThat(child.getTypedSearchAttributes().get(RunbookSearchAttributes.TARGET)).isEqualTo("link");
    assertThat(child.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY)).isEqualTo("alice");
    assertThat(child.getStaticSummary())
        .startsWith("BackupDatabase of link, database link_chat for ")
        .endsWith(", requested by alice");
  }

  @Test
  void oneDatabaseFailingLosesNoneOfTheOthersAndLatestStaysPut(WorkflowClient client, Worker worker) {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "target link, database link_chat: FATAL: password authentication failed for user \"backup\"", "SqlError"))
        .when(activities)
        .backupDatabase(any(), eq("link_chat"));

    BackupRunResult result = run(client, worker);

    DatabaseBackup chat = result.databases().get(1);
    assertThat(chat.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(chat.errorType()).isEqualTo("SqlError");
    assertThat(chat.error()).contains("password authentication failed");
    assertThat(result.succeeded()).isEqualTo(4);
    assertThat(result.latestMoved()).isFalse();
    ArgumentCaptor<List<String>> verified = ArgumentCaptor.captor();
    verify(activities).moveLatestPointers(any(), verified.capture(), eq(false));
    assertThat(verified.getValue()).containsExactly("link_users", "link_ai", "link_discovery", "link_search");
    verify(activities).recordBackupOutcome("link", "link_chat", false, "SqlError");
  }

  @Test
  void anObjectMissingFromTheStoreKeepsLatestWhereItWas(WorkflowClient client, Worker worker) {
    doAnswer(
            inv -> {
              BackupPlan p = inv.getArgument(0);
              return new MetadataWritten(p.metadataKey(), DATABASES.subList(1, 5), List.of("link_users"));
            })
        .when(activities)
        .writeRunMetadata(any(), anyList(), anyString());
    BackupRunResult result = run(client, worker);
    assertThat(result.latestMoved()).isFalse();
    verify(activities).moveLatestPointers(any(), eq(DATABASES.subList(1, 5)), eq(false));
  }

  @Test
  void aBadPlanFailsTheRunBeforeAnythingIsDumped(WorkflowClient client, Worker worker) {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "unknown database 'link_userz' on target link; it has [link_ai, link_chat, link_users]", "UnknownDatabase"))
        .when(activities)
        .planBackup(any(), anyString());
    assertThatThrownBy(() -> run(client, worker))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("unknown database 'link_userz'");
    verify(activities, never()).backupDatabase(any(), anyString());
    verify(activities, never()).moveLatestPointers(any(), anyList(), anyBoolean());
    verify(activities, never()).recordBackupOutcome(anyString(), anyString(), anyBoolean(), isNull());
  }
}
