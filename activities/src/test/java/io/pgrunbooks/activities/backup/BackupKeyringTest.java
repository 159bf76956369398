package io.pgrunbooks.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The keyring as users configure it, and the search by key id. */
class BackupKeyringTest {
  private final SecretResolver secrets = new SecretResolver(() -> null);

  private static TargetConfig bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bind("pgrunbooks", TargetsProperties.class)
        .get()
        .targets()
        .get("link");
  }

  @Test
  void previousKeyRefsBindAsAListAndDefaultToNone() {
    TargetConfig rotated =
        bind(Map.of(
            "pgrunbooks.targets.link.backup.store", "s3",
            "pgrunbooks.targets.link.backup.key-ref", "k8s:link-services/postgres-backup-secret-2/encryption-key",
            "pgrunbooks.targets.link.backup.previous-key-refs[0]", "k8s:link-services/postgres-backup-secret/encryption-key",
            "pgrunbooks.targets.link.backup.previous-key-refs[1]", "file:/run/keys/2024"));
    assertThat(BackupKeyring.configured(rotated.backup()))
        .containsExactly(
            "k8s:link-services/postgres-backup-secret-2/encryption-key",
            "k8s:link-services/postgres-backup-secret/encryption-key",
            "file:/run/keys/2024");
    TargetConfig plain = bind(Map.of("pgrunbooks.targets.link.backup.store", "s3", "pgrunbooks.targets.link.backup.key-ref", "env:KEY"));
    assertThat(plain.backup().previousKeyRefs()).isEmpty();
  }

  @Test
  void theKeyWithTheRecordedIdIsFoundAmongTheGivenCurrentAndPreviousReferences() throws Exception {
    Path dir = Files.createTempDirectory("keyring-");
    Files.writeString(dir.resolve("new"), "the new passphrase");
    Files.writeString(dir.resolve("old"), "the old passphrase");
    TargetConfig target =
        bind(Map.of(
            "pgrunbooks.targets.link.backup.store", "s3",
            "pgrunbooks.targets.link.backup.key-ref", "file:" + dir.resolve("new"),
            "pgrunbooks.targets.link.backup.previous-key-refs[0]", "file:" + dir.resolve("gone"),
            "pgrunbooks.targets.link.backup.previous-key-refs[1]", "file:" + dir.resolve("old")));

    BackupKeyring.Found old =
        BackupKeyring.find(secrets, "link", target, KeyIds.ofPassphrase("the old passphrase"), "file:" + dir.resolve("new"));
    assertThat(old.keyRef()).isEqualTo("file:" + dir.resolve("old"));
    assertThat(old.toString()).doesNotContain("the old passphrase");
    assertThat(BackupKeyring.find(secrets, "link", target, KeyIds.ofPassphrase("the new passphrase")).keyRef())
        .isEqualTo("file:" + dir.resolve("new"));

    ApplicationFailure none =
        catchThrowableOfType(ApplicationFailure.class, () -> BackupKeyring.find(secrets, "link", target, "0123456789abcdef"));
    assertThat(none.getType()).isEqualTo(BackupKeyring.NO_KEY_FOR_KEY_ID);
    assertThat(none.isNonRetryable()).isTrue();
    assertThat(none.getOriginalMessage())
        .startsWith("no configured key has key id 0123456789abcdef")
        .contains("file:" + dir.resolve("gone") + " (does not resolve)")
        .contains("file:" + dir.resolve("old") + " (key id " + KeyIds.ofPassphrase("the old passphrase") + ")")
        .contains("pgrunbooks.targets.link.backup.previous-key-refs")
        .doesNotContain("the old passphrase")
        .doesNotContain("the new passphrase");
  }

  /** A rotation by the runbook keeps the old passphrase as {@code <key-ref>.<key id>}: found without any configuration. */
  @Test
  void anArchivedKeyBesideTheCurrentOneIsFoundByItsKeyIdAndListed() throws Exception {
    Path dir = Files.createTempDirectory("keyring-archive-");
    String oldId = KeyIds.ofPassphrase("the old passphrase");
    Files.writeString(dir.resolve("key"), "the new passphrase");
    Files.writeString(dir.resolve("key." + oldId), "the old passphrase");
    Files.writeString(dir.resolve("key.backup"), "not an archive: no key id in its name");
    Files.writeString(dir.resolve("other.0123456789abcdef"), "an archive of another reference");
    TargetConfig target =
        bind(Map.of("pgrunbooks.targets.link.backup.store", "s3", "pgrunbooks.targets.link.backup.key-ref", "file:" + dir.resolve("key")));

    assertThat(BackupKeyring.configured(target.backup())).containsExactly("file:" + dir.resolve("key"));
    assertThat(BackupKeyring.withArchives(secrets, target.backup()))
        .containsExactly("file:" + dir.resolve("key"), "file:" + dir.resolve("key." + oldId));
    BackupKeyring.Found old = BackupKeyring.find(secrets, "link", target, oldId, "file:" + dir.resolve("key"));
    assertThat(old.keyRef()).isEqualTo("file:" + dir.resolve("key." + oldId));
    assertThat(old.passphrase()).isEqualTo("the old passphrase");

    ApplicationFailure none =
        catchThrowableOfType(ApplicationFailure.class, () -> BackupKeyring.find(secrets, "link", target, "0123456789abcdef"));
    assertThat(none.getOriginalMessage())
        .contains("file:" + dir.resolve("key.0123456789abcdef") + " (does not resolve)")
        .contains("or keep it as <key-ref>.0123456789abcdef");
  }
}
