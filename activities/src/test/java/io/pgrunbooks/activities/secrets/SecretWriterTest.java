package io.pgrunbooks.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing secrets where the resolver reads them: files (owner-only, replaced atomically, never
 * overwritten by a create), Kubernetes Secrets (fabric8's mock API server in CRUD mode: created,
 * a key added or replaced, other keys kept), env: refused; and the archives a rotation leaves.
 */
@EnableKubernetesMockClient(crud = true)
class SecretWriterTest {
  static final String NS = "link-services";
  static final String ARCHIVE = "0123456789abcdef";

  KubernetesClient client;

  private SecretWriter writer() {
    return new SecretWriter(() -> client);
  }

  private SecretResolver resolver() {
    return new SecretResolver(Map.<String, String>of()::get, () -> client);
  }

  private static ApplicationFailure failure(Runnable write) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, write::run);
    assertThat(failure).as("the write fails").isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    return failure;
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static String decoded(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void aFileIsCreatedOwnerOnlyAndReadBackByTheResolver(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("backup-key");
    writer().create("file:" + file, "first value");
    assertThat(resolver().resolve("file:" + file)).isEqualTo("first value");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(dir.toFile().list()).as("no temporary file left").containsExactly("backup-key");
  }

  @Test
  void aCreateNeverOverwritesAFileButAReplaceDoes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("backup-key");
    Files.writeString(file, "kept");
    ApplicationFailure exists = failure(() -> writer().create("file:" + file, "new value"));
    assertThat(exists.getType()).isEqualTo(SecretWriter.SECRET_EXISTS);
    assertThat(exists.getOriginalMessage()).contains("file:" + file + " exists already").doesNotContain("new value");
    assertThat(Files.readString(file)).isEqualTo("kept");

    writer().replace("file:" + file, "replaced");
    assertThat(Files.readString(file)).isEqualTo("replaced");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(dir.toFile().list()).containsExactly("backup-key");
  }

  @Test
  void aFileInAMissingDirectoryOrAnEnvironmentVariableCannotBeWritten(@TempDir Path dir) {
    String missing = "file:" + dir.resolve("no-such-dir").resolve("key");
    assertThat(SecretWriter.whyNotWritable(missing)).isEqualTo(
        "directory " + dir.resolve("no-such-dir") + " of " + missing + " does not exist: create it for the worker's user");
    assertThat(failure(() -> writer().replace(missing, "v")).getType()).isEqualTo(SecretWriter.UNWRITABLE_SECRET);
    assertThat(Files.exists(dir.resolve("no-such-dir"))).isFalse();

    assertThat(SecretWriter.whyNotWritable("env:BACKUP_KEY")).startsWith(
        "env:BACKUP_KEY is read from the worker's environment, which a run cannot change: set BACKUP_KEY in the worker's environment");
    ApplicationFailure env = failure(() -> writer().replace("env:BACKUP_KEY", "secret value"));
    assertThat(env.getType()).isEqualTo(SecretWriter.UNWRITABLE_SECRET);
    assertThat(env.getOriginalMessage()).startsWith("cannot write secret reference 'env:BACKUP_KEY'").doesNotContain("secret value");

    assertThat(SecretWriter.whyNotWritable(null)).isEqualTo("no reference is configured");
    assertThat(SecretWriter.whyNotWritable("vault:x")).contains("use file:/path or k8s:namespace/secret/key");
    assertThat(SecretWriter.whyNotWritable("k8s:ns/secret")).contains("is not k8s:namespace/secret/key");
    assertThat(SecretWriter.whyNotWritable("k8s:ns/secret/bad key")).contains("not a valid key of a Secret");
    assertThat(SecretWriter.whyNotWritable("file:" + dir.resolve("key"))).isNull();
    assertThat(SecretWriter.whyNotWritable("k8s:ns/secret/encryption-key")).isNull();
  }

  @Test
  void aMissingSecretIsCreatedWithTheKey() {
    writer().create("k8s:" + NS + "/postgres-backup-secret/encryption-key", "from the writer");
    Secret created = secret("postgres-backup-secret");
    assertThat(created.getType()).isEqualTo("Opaque");
    assertThat(decoded(created, "encryption-key")).isEqualTo("from the writer");
    assertThat(resolver().resolve("k8s:" + NS + "/postgres-backup-secret/encryption-key")).isEqualTo("from the writer");
  }

  @Test
  void aKeyIsAddedToAnExistingSecretOrReplacedKeepingTheOthers() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("postgres-backup-secret").endMetadata()
        .addToData("postgres-user", Base64.getEncoder().encodeToString("backup".getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    String ref = "k8s:" + NS + "/postgres-backup-secret/encryption-key";

    writer().create(ref, "first");
    ApplicationFailure exists = failure(() -> writer().create(ref, "second"));
    assertThat(exists.getType()).isEqualTo(SecretWriter.SECRET_EXISTS);
    assertThat(exists.getOriginalMessage()).isEqualTo(
        "key encryption-key of secret postgres-backup-secret in " + NS + " exists already: it is not overwritten");
    assertThat(resolver().resolve(ref)).isEqualTo("first");

    writer().replace(ref, "second");
    Secret after = secret("postgres-backup-secret");
    assertThat(decoded(after, "encryption-key")).isEqualTo("second");
    assertThat(decoded(after, "postgres-user")).as("the other keys are kept").isEqualTo("backup");
  }

  @Test
  void archivesAreTheSiblingsAndKeysNamedAfterAVersion(@TempDir Path dir) throws Exception {
    String file = "file:" + dir.resolve("backup-key");
    writer().create(file, "current");
    writer().create(SecretArchives.reference(file, ARCHIVE), "older");
    Files.writeString(dir.resolve("backup-key.old"), "not a version");
    assertThat(resolver().archivesOf(file)).containsExactly(file + "." + ARCHIVE);
    assertThat(resolver().resolve(file + "." + ARCHIVE)).isEqualTo("older");

    String k8s = "k8s:" + NS + "/postgres-backup-secret/encryption-key";
    assertThat(resolver().archivesOf(k8s)).as("no Secret yet").isEmpty();
    writer().create(k8s, "current");
    writer().create(SecretArchives.reference(k8s, ARCHIVE), "older");
    assertThat(secret("postgres-backup-secret").getData()).containsOnlyKeys("encryption-key", "encryption-key." + ARCHIVE);
    assertThat(resolver().archivesOf(k8s)).containsExactly(k8s + "." + ARCHIVE);
    assertThat(resolver().resolve(k8s + "." + ARCHIVE)).isEqualTo("older");

    assertThat(SecretArchives.reference("env:KEY", ARCHIVE)).isNull();
    assertThat(resolver().archivesOf("env:KEY")).isEmpty();
  }
}
