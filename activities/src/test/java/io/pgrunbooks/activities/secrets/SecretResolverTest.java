package io.pgrunbooks.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class SecretResolverTest {
  KubernetesClient client;

  private SecretResolver resolver() {
    return new SecretResolver(Map.of("DB_PASSWORD", "from-env")::get, () -> client);
  }

  @Test
  void resolvesEnvironmentVariables() {
    assertThat(resolver().resolve("env:DB_PASSWORD")).isEqualTo("from-env");
  }

  @Test
  void resolvesFilesWithoutTheirTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "from-file\n");
    assertThat(resolver().resolve("file:" + file)).isEqualTo("from-file");
  }

  @Test
  void resolvesKubernetesSecretKeys() {
    client
        .secrets()
        .inNamespace("link-services")
        .resource(
            new SecretBuilder()
                .withNewMetadata().withName("postgres-credentials").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString("from-k8s".getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    assertThat(resolver().resolve("k8s:link-services/postgres-credentials/password")).isEqualTo("from-k8s");
  }

  @Test
  void anEmptyReferenceMeansNoPassword() {
    assertThat(resolver().resolve("")).isNull();
    assertThat(resolver().resolve(null)).isNull();
  }

  @Test
  void unresolvableReferencesFailNonRetryablyNamingTheReferenceNeverAValue() {
    assertThatThrownBy(() -> resolver().resolve("env:NOPE"))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("env:NOPE")
        .hasMessageContaining("not set")
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue());
    assertThatThrownBy(() -> resolver().resolve("k8s:link-services/missing/password"))
        .hasMessageContaining("secret missing not found in link-services");
    assertThatThrownBy(() -> resolver().resolve("vault:x")).hasMessageContaining("use env:NAME, file:/path");
    assertThatThrownBy(() -> resolver().resolve("file:/nonexistent/pw")).hasMessageContaining("cannot read /nonexistent/pw");
  }
}
