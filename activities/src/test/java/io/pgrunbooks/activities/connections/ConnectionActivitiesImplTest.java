package io.pgrunbooks.activities.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.kubernetes.ApplicationDeployments;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout restart against fabric8's mock API server (CRUD mode), max_connections against a real cluster. */
@EnableKubernetesMockClient(crud = true)
class ConnectionActivitiesImplTest {
  private static final String NS = "link-services";

  KubernetesMockServer server;
  KubernetesClient client;

  private ConnectionActivitiesImpl activities(Map<String, TargetConfig> targets) {
    return new ConnectionActivitiesImpl(
        new TargetRegistry(new TargetsProperties(targets)), new PostgresConnector(new SecretResolver(() -> client)), () -> client);
  }

  @Test
  void rolloutRestartSetsTheRestartedAtAnnotationOnEachPodTemplate() {
    deployment("api-gateway");
    deployment("user-svc");
    ConnectionActivitiesImpl activities = activities(Map.of("link", kubernetesTarget(List.of("api-gateway", "user-svc"))));

    assertThat(activities.restartApplications("link", "2026-11-22T22:10:00Z"))
        .containsExactly(NS + "/api-gateway", NS + "/user-svc");
    assertThat(activities.restartApplications("link", "2026-11-22T22:10:00Z")).as("a retry sets the same value").hasSize(2);

    for (String name : List.of("api-gateway", "user-svc")) {
      Deployment d = client.apps().deployments().inNamespace(NS).withName(name).get();
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry(ApplicationDeployments.RESTARTED_AT, "2026-11-22T22:10:00Z")
          .containsEntry("team", "links");
      assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    }
  }

  @Test
  void aMissingDeploymentRestartsNothing() {
    deployment("api-gateway");
    ConnectionActivitiesImpl activities = activities(Map.of("typo", kubernetesTarget(List.of("api-gateway", "usr-svc"))));

    assertThatThrownBy(() -> activities.restartApplications("typo", "2026-11-22T22:10:00Z"))
        .isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e).getType()).isEqualTo("ApplicationsNotFound"))
        .hasMessageContaining("[usr-svc]");
    assertThat(client.apps().deployments().inNamespace(NS).withName("api-gateway").get()
        .getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey(ApplicationDeployments.RESTARTED_AT);
  }

  @Test
  void maxConnectionsIsRaisedByAlterSystemAndARestart() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.start("max-connections", Map.of())) {
      cluster.execute("postgres", "alter system set max_connections = 20");
      cluster.stop();
      cluster.restart(Map.of());
      ConnectionActivitiesImpl activities = activities(Map.of("pg", HostTargets.of(cluster, List.of("postgres"))));
      assertThat(activities.diagnose("pg", 30).maxConnectionsSource()).isEqualTo("configuration file");

      assertThat(activities.setMaxConnections("pg", 30)).isEqualTo(30);

      try (Connection c = cluster.connect("postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("show max_connections")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("30");
      }
      assertThat(activities.recheck("pg").maxConnections()).isEqualTo(30);
    }
  }

  @Test
  void aMaxConnectionsSetOnTheCommandLineIsReportedAsSuch() {
    try (PostgresCluster cluster = PostgresCluster.start("max-connections-cli", Map.of("max_connections", "20"))) {
      ConnectionActivitiesImpl activities = activities(Map.of("pg", HostTargets.of(cluster, List.of("postgres"))));
      assertThat(activities.diagnose("pg", 30).maxConnectionsSource()).isEqualTo("command line");
    }
  }

  private void deployment(String name) {
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).addToAnnotations("team", "links").endMetadata().endTemplate()
        .endSpec()
        .build()).create();
  }

  private static TargetConfig kubernetesTarget(List<String> apps) {
    return new TargetConfig(Hosting.KUBERNETES, new TargetConfig.Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of(), apps, new KubernetesPlacement(NS, null, null, null, null, null), null, null, null);
  }
}
