package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrunbooks.activities.host.PgCtl;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.backupfailure.DatabaseRestartActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The restart activities as Temporal runs them: the rollout's wait heartbeats what it waits for (the
 * mock server in CRUD mode, the test as the StatefulSet controller); pg_ctl restart of a real cluster
 * is done once across a retry; each refuses the other hosting.
 */
@EnableKubernetesMockClient(crud = true)
class DatabaseRestartActivitiesImplTest {
  static PostgresCluster cluster;

  KubernetesClient client;
  private TestActivityEnvironment env;
  private DatabaseRestartActivities activities;
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void database() {
    cluster = PostgresCluster.start("restart-unanswering", Map.of());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void activities() {
    TargetRegistry targets = new TargetRegistry(new TargetsProperties(Map.of(
        "k8s", PrimaryStatefulSetTest.BY_SERVICE, "host", HostTargets.of(cluster, List.of()))));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new DatabaseRestartActivitiesImpl(targets, new PrimaryStatefulSet(() -> client, Duration.ofSeconds(20), Duration.ofMillis(20))));
    env.setActivityHeartbeatListener(String.class, heartbeats::add);
    activities = env.newActivityStub(DatabaseRestartActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(3))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void theRolloutWaitHeartbeatsWhatItWaitsFor() {
    client.apps().statefulSets().inNamespace(PrimaryStatefulSetTest.NS).resource(new StatefulSetBuilder()
        .withNewMetadata().withName(PrimaryStatefulSetTest.STS).withNamespace(PrimaryStatefulSetTest.NS).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "postgres-primary").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "postgres-primary").endMetadata().endTemplate().endSpec()
        .build()).create();
    env.setActivityHeartbeatListener(String.class, beat -> {
      heartbeats.add(beat);
      // The controller sees the new template and replaces the pod.
      client.apps().statefulSets().inNamespace(PrimaryStatefulSetTest.NS).withName(PrimaryStatefulSetTest.STS).editStatus(s ->
          new StatefulSetBuilder(s).editOrNewStatus().withObservedGeneration(s.getMetadata().getGeneration()).withReplicas(1)
              .withReadyReplicas(1).withUpdatedReplicas(1).endStatus().build());
    });

    String done = activities.rolloutRestartStatefulSet("k8s", "2026-11-29T10:15:00Z", "bf-1/restart-statefulset");

    assertThat(done).endsWith("rolled out: 1 of 1 pod(s) updated and ready");
    assertThat(heartbeats).first().asString()
        .startsWith("statefulset link-services/postgres-primary: waiting for the controller to see the new template");
  }

  @Test
  void aRunningClusterIsRestartedOnceAcrossARetry() {
    String before = PgCtl.runningPostmaster(HostTargets.of(cluster, List.of()).host());
    assertThat(before).startsWith("pid ");

    String first = activities.restartUnansweringCluster("host", before);
    String now = PgCtl.runningPostmaster(HostTargets.of(cluster, List.of()).host());
    assertThat(now).startsWith("pid ").isNotEqualTo(before);
    assertThat(first).isEqualTo("pg_ctl restart -m fast of the cluster at " + cluster.dataDirectory() + " (" + before + " before, "
        + now + " now)");

    String retried = activities.restartUnansweringCluster("host", before);
    assertThat(retried).startsWith("nothing: the cluster at " + cluster.dataDirectory() + " was restarted already (" + now);
    assertThat(PgCtl.runningPostmaster(HostTargets.of(cluster, List.of()).host())).as("not restarted again").isEqualTo(now);
  }

  @Test
  void eachRestartRefusesTheOtherHosting() {
    assertThatThrownBy(() -> activities.restartUnansweringCluster("k8s", "pid 1"))
        .isInstanceOfSatisfying(ActivityFailure.class, f -> assertThat(((ApplicationFailure) f.getCause()).getType()).isEqualTo("NotApplicable"));
    assertThatThrownBy(() -> activities.rolloutRestartStatefulSet("host", "2026-11-29T10:15:00Z", "t"))
        .isInstanceOfSatisfying(ActivityFailure.class, f -> assertThat(((ApplicationFailure) f.getCause()).getType()).isEqualTo("NotApplicable"));
  }
}
