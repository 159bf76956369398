package io.pgrunbooks.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** {@code pgrunbooks.stores.*} as users write it in application.yml. */
class StoresPropertiesTest {

  private static StoresProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bind("pgrunbooks", StoresProperties.class)
        .orElseGet(() -> new StoresProperties(null));
  }

  @Test
  void aLocalStoreDefaultsToPathStyleAndUsEast1() {
    StoreConfig local =
        bind(Map.of(
                "pgrunbooks.stores.local.endpoint", "http://127.0.0.1:9000",
                "pgrunbooks.stores.local.bucket", "pg-backups",
                "pgrunbooks.stores.local.access-key-ref", "file:/run/keys/access",
                "pgrunbooks.stores.local.secret-key-ref", "env:S3_SECRET"))
            .stores().get("local");
    assertThat(local.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(local.region()).isEqualTo("us-east-1");
    assertThat(local.pathStyle()).isTrue();
    assertThat(local.partSize()).isEqualTo(DataSize.ofMegabytes(8));
    assertThat(local.hasStaticCredentials()).isTrue();
  }

  @Test
  void anAwsStoreUsesVirtualHostsAndTheDefaultChain() {
    StoreConfig aws =
        bind(Map.of(
                "pgrunbooks.stores.aws.region", "eu-west-1",
                "pgrunbooks.stores.aws.bucket", "company-db-backups",
                "pgrunbooks.stores.aws.part-size", "64MB"))
            .stores().get("aws");
    assertThat(aws.endpoint()).isNull();
    assertThat(aws.pathStyle()).isFalse();
    assertThat(aws.partSize()).isEqualTo(DataSize.ofMegabytes(64));
    assertThat(aws.hasStaticCredentials()).isFalse();
  }

  @Test
  void theRegistryRefusesConfigurationThatCannotWork() {
    StoreRegistry registry =
        new StoreRegistry(
            bind(Map.of(
                "pgrunbooks.stores.nobucket.region", "eu-west-1",
                "pgrunbooks.stores.tiny.bucket", "b",
                "pgrunbooks.stores.tiny.part-size", "1MB",
                "pgrunbooks.stores.half.bucket", "b",
                "pgrunbooks.stores.half.access-key-ref", "env:A")));
    assertThatThrownBy(() -> registry.get("nobucket")).hasMessageContaining("no bucket");
    assertThatThrownBy(() -> registry.get("tiny")).hasMessageContaining("between 5MB and 2GB");
    assertThatThrownBy(() -> registry.get("half"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("both access-key-ref and secret-key-ref");
  }
}
