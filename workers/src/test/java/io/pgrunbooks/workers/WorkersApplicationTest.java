package io.pgrunbooks.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.pgrunbooks.workflows.targets.TargetActivities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * The worker's Spring wiring: every activity bean its application.yml registers exists. Workers
 * are not started, so no Temporal server is needed here (the end-to-end tests run the real jar).
 */
@SpringBootTest(properties = {"spring.temporal.start-workers=false", "server.port=0"})
class WorkersApplicationTest {
  @Autowired ApplicationContext context;

  @Test
  void everyRegisteredActivityBeanIsWired() {
    assertThat(context.getBean("targetActivitiesImpl")).isInstanceOf(TargetActivities.class);
    assertThat(context.getBean("assessmentActivitiesImpl")).isInstanceOf(AssessmentActivities.class);
    assertThat(context.getBean("backupActivitiesImpl")).isInstanceOf(BackupActivities.class);
    assertThat(context.getBean("verificationActivitiesImpl")).isInstanceOf(VerificationActivities.class);
    assertThat(context.getBean("escalationActivitiesImpl")).isInstanceOf(EscalationActivities.class);
  }
}
