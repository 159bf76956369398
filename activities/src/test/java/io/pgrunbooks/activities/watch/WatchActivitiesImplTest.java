package io.pgrunbooks.activities.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.watch.InstalledRules;
import io.pgrunbooks.workflows.watch.WatchActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules as a PrometheusRule on fabric8's mock API server, and as a rules file for a host's Prometheus. */
@EnableKubernetesMockClient(crud = true)
class WatchActivitiesImplTest {
  private static final ResourceDefinitionContext RULE = new ResourceDefinitionContext.Builder()
      .withGroup("monitoring.coreos.com").withVersion("v1").withKind("PrometheusRule").withPlural("prometheusrules")
      .withNamespaced(true).build();

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path rulesDirectory;
  TestActivityEnvironment env;
  WatchActivities watch;

  @BeforeEach
  void setUp() {
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(
        "link", target(Hosting.KUBERNETES), "local", target(Hosting.HOST))));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new WatchActivitiesImpl(registry, () -> client, "monitoring", rulesDirectory.toString()));
    watch = env.newActivityStub(WatchActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void onKubernetesAPrometheusRuleIsAppliedTwiceAsOnceAndDeleted() {
    InstalledRules installed = watch.installRules("link", "pg-runbooks-post-incident-link-42", "2026-11-22T16:00:00Z");
    watch.installRules("link", "pg-runbooks-post-incident-link-42", "2026-11-22T16:00:00Z"); // a retried install
    assertThat(installed.location()).isEqualTo("PrometheusRule monitoring/pg-runbooks-post-incident-link-42");
    List<GenericKubernetesResource> rules = client.genericKubernetesResources(RULE).inNamespace("monitoring").list().getItems();
    assertThat(rules).singleElement().satisfies(r -> {
      assertThat(r.getMetadata().getAnnotations()).containsEntry("pg-runbooks/until", "2026-11-22T16:00:00Z");
      List<?> groupRules = (List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) r.getAdditionalProperties().get("spec")).get("groups")).get(0)).get("rules");
      assertThat(groupRules).hasSize(3);
      assertThat(groupRules.get(0).toString()).contains("DatabaseConnectionSpike").contains("target=link");
    });

    watch.removeRules("link", "pg-runbooks-post-incident-link-42");
    watch.removeRules("link", "pg-runbooks-post-incident-link-42"); // nothing left: not an error
    assertThat(client.genericKubernetesResources(RULE).inNamespace("monitoring").list().getItems()).isEmpty();
  }

  @Test
  void onAHostARulesFileIsWrittenForPrometheusAndRemoved() throws Exception {
    InstalledRules installed = watch.installRules("local", "pg-runbooks-post-incident-local-42", "2026-11-22T16:00:00Z");
    Path file = rulesDirectory.resolve("pg-runbooks-post-incident-local-42.yml");
    assertThat(installed.location()).isEqualTo(file.toString());
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    assertThat(rules.at("/groups/0/name").asText()).isEqualTo("database-post-incident");
    assertThat(rules.at("/groups/0/rules/2/alert").asText()).isEqualTo("ReplicationLagHigh");
    assertThat(rules.at("/groups/0/rules/2/expr").asText()).isEqualTo("pg_replication_lag_seconds > 60");
    assertThat(rules.at("/groups/0/rules/2/labels/target").asText()).isEqualTo("local");
    try (var files = Files.list(rulesDirectory)) {
      assertThat(files).as("no temporary file left beside it").hasSize(1);
    }

    watch.removeRules("local", "pg-runbooks-post-incident-local-42");
    assertThat(file).doesNotExist();
  }

  @Test
  void aNameThatCannotNameRulesIsRefused() {
    assertThatThrownBy(() -> watch.installRules("local", "../../etc/passwd", "2026-11-22T16:00:00Z"))
        .cause().isInstanceOf(ApplicationFailure.class).hasMessageContaining("cannot name alert rules");
    try (var files = Files.list(rulesDirectory)) {
      assertThat(files).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static TargetConfig target(Hosting hosting) {
    return new TargetConfig(hosting, new TargetConfig.Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of(), List.of(), null, null, null, null);
  }
}
