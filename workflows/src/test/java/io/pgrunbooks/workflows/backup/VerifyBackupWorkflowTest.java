package io.pgrunbooks.workflows.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class VerifyBackupWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(VerifyBackupWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final VerificationActivities activities =
      mock(VerificationActivities.class, withSettings().withoutAnnotations());

  private static final BackupObject USERS = new BackupObject("link_users", "k/users.sql.enc", "k/users.sql.enc.manifest.json", 10, "aa");
  private static final BackupObject CHAT = new BackupObject("link_chat", "k/chat.sql.enc", "k/chat.sql.enc.manifest.json", 20, "bb");

  private static ObjectVerification passed(BackupObject o) {
    return new ObjectVerification(o.database(), o.objectKey(), true, true, true, 12, 1, List.of(), 2, List.of(), Map.of(), o.objectKey() + ".verification.json", null);
  }

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(activities.loadBackupSet(eq("link"), any()))
        .thenReturn(new BackupSet("link", "backups", "m.json", "20261122_101500", "env:OLD_KEY", "abcd", List.of(USERS, CHAT)));
    when(activities.verifyObject(any(), eq(USERS), anyString())).thenReturn(passed(USERS));
    when(activities.verifyObject(any(), eq(CHAT), anyString())).thenReturn(passed(CHAT));
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private static VerificationResult run(WorkflowClient client, Worker worker, VerifyRequest request) {
    return client
        .newWorkflowStub(VerifyBackupWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build())
        .verify(request);
  }

  @Test
  void everyObjectIsRestoredIntoItsOwnScratchDatabase(WorkflowClient client, Worker worker) {
    VerificationResult result = run(client, worker, new VerifyRequest("link", null, List.of(), null, "alice"));
    assertThat(result.passed()).isTrue();
    assertThat(result.objects()).hasSize(2);
    verify(activities).verifyObject(any(), eq(USERS), eq("pgrb_verify_20261122_101500_1"));
    verify(activities).verifyObject(any(), eq(CHAT), eq("pgrb_verify_20261122_101500_2"));
    verify(activities, never()).dropScratchDatabase(anyString(), anyString());
  }

  @Test
  void aKeyReferenceGivenAfterARotationIsUsedButTheRecordedKeyIdStays(WorkflowClient client, Worker worker) {
    run(client, worker, new VerifyRequest("link", "m.json", List.of("link_chat"), "file:/keys/old", "alice"));
    ArgumentCaptor<BackupSet> set = ArgumentCaptor.captor();
    verify(activities).verifyObject(set.capture(), eq(CHAT), anyString());
    assertThat(set.getValue().keyRef()).isEqualTo("file:/keys/old");
    assertThat(set.getValue().keyId()).isEqualTo("abcd");
    verify(activities, never()).verifyObject(any(), eq(USERS), anyString());
  }

  @Test
  void aVerificationThatFailsMidwayDropsItsScratchDatabaseAndIsReported(WorkflowClient client, Worker worker) {
    doThrow(ApplicationFailure.newNonRetryableFailure("restore of k/chat.sql.enc failed: disk full", "BackupIoError"))
        .when(activities)
        .verifyObject(any(), eq(CHAT), anyString());
    VerificationResult result = run(client, worker, new VerifyRequest("link", null, List.of(), null, "alice"));
    assertThat(result.passed()).isFalse();
    assertThat(result.objects().get(1).problem()).contains("disk full");
    verify(activities).dropScratchDatabase("link", "pgrb_verify_20261122_101500_2");
  }
}
