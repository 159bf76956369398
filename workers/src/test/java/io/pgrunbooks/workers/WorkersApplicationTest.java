package io.pgrunbooks.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.pgrunbooks.workflows.pitr.PitrActivities;
import io.pgrunbooks.workflows.targets.TargetActivities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * The worker's Spring wiring: every activity bean its application.yml registers exists. Workers
 * are not started, so no Temporal server is needed here (the end-to-end tests run the real jar).
 */
@SpringBootTest(
    properties = {
      "spring.temporal.start-workers=false",
      "server.port=0",
      "pgrunbooks.targets.local.hosting=host",
      "pgrunbooks.targets.local.primary.jdbc-url=jdbc:postgresql://127.0.0.1:5432/postgres",
      "pgrunbooks.targets.local.host.data-directory=/var/lib/postgresql/15/main",
      "pgrunbooks.targets.local.pitr.stanza=main",
      "pgrunbooks.targets.local.pitr.config-file=/etc/pgbackrest/pgbackrest.conf",
      "pgrunbooks.targets.local.restore.check-tables=users,messages",
      "pgrunbooks.targets.local.restore.staged-min-bytes=1048576"
    })
class WorkersApplicationTest {
  @Autowired ApplicationContext context;

  @Test
  void aTargetsPitrBlockIsBound() {
    TargetConfig.PitrSettings pitr = context.getBean(TargetRegistry.class).get("local").pitr();
    assertThat(pitr.stanza()).isEqualTo("main");
    assertThat(pitr.configFile()).isEqualTo("/etc/pgbackrest/pgbackrest.conf");
    assertThat(pitr.repoPath()).isNull();
  }

  @Test
  void aTargetsRestoreBlockIsBoundWithDefaultsForTheRest() {
    TargetConfig.RestoreSettings restore = context.getBean(TargetRegistry.class).get("local").restore();
    assertThat(restore.checkTables()).containsExactly("users", "messages");
    assertThat(restore.stagedMinBytes()).isEqualTo(1L << 20);
    assertThat(restore.createdAtColumn()).isEqualTo("created_at");
    assertThat(restore.jobs()).isPositive();
  }

  @Test
  void activitiesAreSummarisedByTheWorkersInterceptor() {
    assertThat(context.getBeansOfType(io.temporal.common.interceptors.WorkerInterceptor.class).values())
        .hasAtLeastOneElementOfType(io.pgrunbooks.workflows.common.StepSummaries.class);
  }

  @Test
  void everyRegisteredActivityBeanIsWired() {
    assertThat(context.getBean("targetActivitiesImpl")).isInstanceOf(TargetActivities.class);
    assertThat(context.getBean("assessmentActivitiesImpl")).isInstanceOf(AssessmentActivities.class);
    assertThat(context.getBean("backupActivitiesImpl")).isInstanceOf(BackupActivities.class);
    assertThat(context.getBean("verificationActivitiesImpl")).isInstanceOf(VerificationActivities.class);
    assertThat(context.getBean("escalationActivitiesImpl")).isInstanceOf(EscalationActivities.class);
    assertThat(context.getBean("pitrActivitiesImpl")).isInstanceOf(PitrActivities.class);
    assertThat(context.getBean("restoreActivitiesImpl")).isInstanceOf(io.pgrunbooks.workflows.restore.RestoreActivities.class);
    assertThat(context.getBean("validationActivitiesImpl")).isInstanceOf(io.pgrunbooks.workflows.validation.ValidationActivities.class);
    assertThat(context.getBean("maintenanceActivitiesImpl")).isInstanceOf(io.pgrunbooks.workflows.maintenance.MaintenanceActivities.class);
    assertThat(context.getBean("watchActivitiesImpl")).isInstanceOf(io.pgrunbooks.workflows.watch.WatchActivities.class);
    assertThat(context.getBean("applicationActivitiesImpl"))
        .isInstanceOf(io.pgrunbooks.workflows.applications.ApplicationActivities.class);
  }

  /**
   * What the worker does at start, on an in-memory server: every configured workflow class and
   * activity bean registered on one worker. Two activity interfaces with a method of the same name
   * register the same activity type, which Temporal refuses: this fails here, not in production.
   */
  @Test
  void theConfiguredWorkflowsAndActivitiesShareOneWorker() throws ClassNotFoundException {
    org.springframework.core.env.Environment env = context.getEnvironment();
    java.util.List<Object> beans = new java.util.ArrayList<>();
    for (int i = 0; env.containsProperty("spring.temporal.workers[0].activity-beans[" + i + "]"); i++) {
      beans.add(context.getBean(env.getProperty("spring.temporal.workers[0].activity-beans[" + i + "]")));
    }
    java.util.List<Class<?>> workflows = new java.util.ArrayList<>();
    for (int i = 0; env.containsProperty("spring.temporal.workers[0].workflow-classes[" + i + "]"); i++) {
      workflows.add(Class.forName(env.getProperty("spring.temporal.workers[0].workflow-classes[" + i + "]")));
    }
    assertThat(beans).hasSizeGreaterThan(10);
    assertThat(workflows).hasSizeGreaterThan(10);
    try (io.temporal.testing.TestWorkflowEnvironment temporal = io.temporal.testing.TestWorkflowEnvironment.newInstance()) {
      io.temporal.worker.Worker worker = temporal.newWorker("registration");
      worker.registerWorkflowImplementationTypes(workflows.toArray(Class<?>[]::new));
      worker.registerActivitiesImplementations(beans.toArray());
    }
  }
}
