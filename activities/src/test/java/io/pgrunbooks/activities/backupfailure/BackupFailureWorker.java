package io.pgrunbooks.activities.backupfailure;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgrunbooks.activities.assessment.AssessmentActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.verification.VerificationActivitiesImpl;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.backup.BackupDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflowImpl;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflowImpl;
import io.pgrunbooks.workflows.backupfailure.BackupAlert;
import io.pgrunbooks.workflows.backupfailure.BackupAlertActivities;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowImpl;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The real RespondToBackupFailure with its BackupDatabases and VerifyBackup children on a started
 * TestWorkflowEnvironment, with the activities every real-PostgreSQL test of the runbook needs (host
 * hosting, the stores of {@code stores}); Prometheus, the report store and the escalation stood in.
 * A test adds the activities of the class it exercises.
 */
final class BackupFailureWorker {
  private BackupFailureWorker() {}

  static TestWorkflowEnvironment start(
      String queue, TargetRegistry registry, TestStores stores, MeterRegistry meters, Object... moreActivities) {
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    PostgresConnector connector = new PostgresConnector(secrets);
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    WorkflowClient client = env.getWorkflowClient();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(queue);
    worker.registerWorkflowImplementationTypes(RespondToBackupFailureWorkflowImpl.class, BackupDatabasesWorkflowImpl.class,
        BackupDatabaseWorkflowImpl.class, VerifyBackupWorkflowImpl.class);
    BackupAlertActivities alerts = mock(BackupAlertActivities.class, withSettings().withoutAnnotations());
    when(alerts.readBackupAlert(anyString())).thenReturn(new BackupAlert(null, null, null, null, 86400, true, "no Prometheus in this test"));
    IncidentReportActivities reports = mock(IncidentReportActivities.class, withSettings().withoutAnnotations());
    when(reports.storeIncidentReport(anyString(), anyString())).thenReturn("s3://reports/report.md");
    List<Object> activities = new ArrayList<>(List.of(
        new ApprovalVerifier(null, true),
        new BackupFailureActivitiesImpl(registry, connector, secrets, stores.registry, stores.clients, HostTargets.NO_KUBERNETES,
            new StaticListableBeanFactory(Map.of("temporal", client)).getBeanProvider(WorkflowClient.class)),
        new BackupStoreActivitiesImpl(registry, stores.registry, stores.clients),
        new AssessmentActivitiesImpl(registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting()))),
        new BackupActivitiesImpl(registry, stores.registry, stores.storage, secrets, connector, new BackupMetrics(meters)),
        new VerificationActivitiesImpl(registry, stores.storage, secrets, connector),
        alerts, reports, mock(EscalationActivities.class, withSettings().withoutAnnotations())));
    activities.addAll(List.of(moreActivities));
    worker.registerActivitiesImplementations(activities.toArray());
    env.start();
    return env;
  }
}
