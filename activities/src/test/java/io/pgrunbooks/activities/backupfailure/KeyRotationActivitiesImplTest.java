package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgrunbooks.activities.backup.BackupKeyring;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.secrets.SecretWriter;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupSet;
import io.pgrunbooks.workflows.backup.ObjectVerification;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.pgrunbooks.workflows.backupfailure.BackupKeyCheck;
import io.pgrunbooks.workflows.backupfailure.KeyRotationActivities;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.RestoreActivities;
import io.pgrunbooks.workflows.restore.RestoreMethod;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.restore.RestoreNames;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key rotation on a real PostgreSQL and a real S3 server (s3proxy): a backup with key A, the
 * secret behind the target's key-ref replaced by key B with A kept under a previous-key-refs
 * reference, a backup with B; then both verify (a real restore into a scratch database) and both
 * restore into copies with the data each was taken with, without a keyRef in any request.
 */
class KeyRotationActivitiesImplTest {
  private static final String TARGET = "link";
  private static final String KEY_A = "passphrase A of the link backups, before rotation";
  private static final String KEY_B = "passphrase B of the link backups, after the rotation";

  static PostgresCluster cluster;
  static TestStores stores;

  final List<BackupSteps> workers = new ArrayList<>();
  final List<String> copies = new ArrayList<>();

  @BeforeAll
  static void database() {
    cluster = PostgresCluster.start("rotation", Map.of());
    cluster.execute("postgres", "create database link_chat");
    cluster.execute(
        "link_chat",
        "create table messages (id bigserial primary key, body text, created_at timestamptz not null default now())",
        "insert into messages (body) select md5(g::text) from generate_series(1, 1000) g");
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void close() {
    workers.forEach(BackupSteps::close);
    copies.forEach(db -> cluster.execute("postgres", "drop database if exists \"" + db + "\" with (force)"));
  }

  /** The activities as a worker configured with {@code settings} runs them. */
  private final class Worker {
    final BackupActivities backups;
    final VerificationActivities verification;
    final RestoreActivities restore;
    final KeyRotationActivities keys;
    private final BackupSteps steps;

    Worker(BackupSettings settings) {
      steps = new BackupSteps(cluster, stores, TARGET, "link_chat", settings);
      workers.add(steps);
      backups = steps.backups;
      verification = steps.verification;
      restore = steps.restore;
      keys = steps.keys;
    }

    BackupSet backUp(String label) {
      return steps.backUp(label);
    }

    /** Restores the set's object into a new copy without a keyRef; returns the copy's row count. */
    long restoredRows(BackupSet set, String stamp) throws Exception {
      return count(steps.restored(set, stamp));
    }
  }

  private static long count(String database) throws Exception {
    try (var c = cluster.connect(database);
        var st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from messages")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static ApplicationFailure failureOf(Supplier<?> call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, call::get);
    assertThat(failure).as("the call fails").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failure.getCause();
  }

  @Test
  void backupsMadeBeforeAndAfterARotationBothVerifyAndRestoreWithoutAKeyRef() throws Exception {
    Path dir = Files.createTempDirectory("rotation-keys-");
    Path current = dir.resolve("backup-key");
    Path old = dir.resolve("backup-key-old");
    Files.writeString(current, KEY_A);
    String prefix = "rotation-" + System.nanoTime();
    BackupSettings before = new BackupSettings(TestStores.GOOD, prefix, "file:" + current, null, 1, 1000, null, null, null, null, null);

    // Key A: a healthy key, the backup records its key id.
    Worker a = new Worker(before);
    BackupKeyCheck checkA = a.keys.checkBackupKey(TARGET);
    assertThat(checkA.healthy()).as(checkA.findings().toString()).isTrue();
    assertThat(checkA.keyId()).isEqualTo(KeyIds.ofPassphrase(KEY_A));
    assertThat(checkA.length()).isEqualTo(KEY_A.length());
    assertThat(checkA.roundTrip()).isTrue();
    assertThat(checkA.latestBackupKeyId()).as("no backup yet").isNull();
    BackupSet setA = a.backUp("20261129_100000");
    assertThat(setA.keyId()).isEqualTo(KeyIds.ofPassphrase(KEY_A));
    cluster.execute("link_chat", "insert into messages (body) select 'after A ' || g from generate_series(1, 500) g");

    // The rotation done wrong: the secret behind key-ref replaced, the old passphrase kept nowhere configured.
    Files.writeString(old, KEY_A);
    Files.writeString(current, KEY_B);
    Worker forgotten = new Worker(before);
    BackupKeyCheck broken = forgotten.keys.checkBackupKey(TARGET);
    assertThat(broken.healthy()).isFalse();
    assertThat(broken.roundTrip()).as("the new key itself works").isTrue();
    assertThat(broken.latestBackupKeyId()).isEqualTo(setA.keyId());
    assertThat(broken.latestBackupKeyRef()).isNull();
    assertThat(broken.runsByKeyId()).containsExactly(Map.entry(setA.keyId(), 1));
    assertThat(broken.unopenableRuns()).containsExactly(setA.metadataKey());
    assertThat(broken.findings()).anySatisfy(f -> assertThat(f).contains(setA.keyId()).contains("cannot be restored"));
    assertThat(broken.toChange()).anySatisfy(f -> assertThat(f).contains("pgrunbooks.targets.link.backup.previous-key-refs").contains(setA.keyId()));
    ApplicationFailure noKey = failureOf(() -> forgotten.verification.verifyObject(setA, setA.objects().get(0), "pgrb_verify_rot_0"));
    assertThat(noKey.getType()).isEqualTo(BackupKeyring.NO_KEY_FOR_KEY_ID);
    assertThat(noKey.isNonRetryable()).isTrue();
    assertThat(noKey.getOriginalMessage())
        .contains("no configured key has key id " + setA.keyId())
        .contains("file:" + current + " (key id " + KeyIds.ofPassphrase(KEY_B) + ")")
        .contains("previous-key-refs")
        .doesNotContain(KEY_A)
        .doesNotContain(KEY_B);
    ApplicationFailure noKeyToRestore = failureOf(() -> forgotten.restore.findBackup(TARGET, "link_chat", setA.objects().get(0).objectKey(), null));
    assertThat(noKeyToRestore.getType()).isEqualTo(BackupKeyring.NO_KEY_FOR_KEY_ID);
    assertThat(noKeyToRestore.isNonRetryable()).isTrue();
    assertThat(noKeyToRestore.getOriginalMessage()).contains(setA.keyId());

    // The rotation done right: the old passphrase's reference listed as previous.
    BackupSettings after = before.rotatedTo("file:" + current, List.of("file:" + old));
    Worker b = new Worker(after);
    BackupKeyCheck rotated = b.keys.checkBackupKey(TARGET);
    assertThat(rotated.healthy()).as(rotated.findings().toString()).isTrue();
    assertThat(rotated.keyId()).isEqualTo(KeyIds.ofPassphrase(KEY_B));
    assertThat(rotated.latestBackupKeyRef()).isEqualTo("file:" + old);
    assertThat(rotated.unopenableRuns()).isEmpty();
    assertThat(rotated.findings()).singleElement().asString().contains("rotated since the latest backup").contains("take a new backup");
    assertThat(rotated.keyring()).extracting(e -> e.role() + " " + e.keyRef() + " " + e.keyId())
        .containsExactly(
            "current file:" + current + " " + KeyIds.ofPassphrase(KEY_B),
            "previous file:" + old + " " + KeyIds.ofPassphrase(KEY_A));
    BackupSet setB = b.backUp("20261129_110000");
    assertThat(setB.keyId()).isEqualTo(KeyIds.ofPassphrase(KEY_B));
    cluster.execute("link_chat", "insert into messages (body) values ('after B')");

    // Both verify (a real restore into a scratch database, row counts against the manifest).
    for (BackupSet set : List.of(setA, setB)) {
      ObjectVerification verified = b.verification.verifyObject(set, set.objects().get(0), "pgrb_verify_rot_" + set.label());
      assertThat(verified.passed()).as(set.label() + ": " + verified.problem()).isTrue();
      assertThat(verified.checksumMatches()).isTrue();
      assertThat(verified.rowCountMismatches()).isEmpty();
    }

    // Both restore, each with the data it was taken with; the key was found by key id.
    FoundBackup foundA = b.restore.findBackup(TARGET, "link_chat", setA.objects().get(0).objectKey(), null);
    assertThat(foundA.keyRef()).isEqualTo("file:" + old);
    assertThat(b.restoredRows(setA, "20261129_120001")).isEqualTo(1000);
    assertThat(b.restoredRows(setB, "20261129_120002")).isEqualTo(1500);
    assertThat(count("link_chat")).isEqualTo(1501);

    // A backup that records no key id (no manifest beside it, as one made elsewhere): each configured key is
    // tried, current first; the previous one opens it.
    String foreign = prefix + "/elsewhere/link_chat.sql.enc";
    stores.storage.copy(TestStores.GOOD, setA.objects().get(0).objectKey(), foreign);
    FoundBackup foundForeign = b.restore.findBackup(TARGET, "link_chat", foreign, null);
    assertThat(foundForeign.manifestKey()).isNull();
    assertThat(foundForeign.keyRef()).isEqualTo("file:" + old);
    String copy = RestoreNames.restored("link_chat", "20261129_120003");
    copies.add(copy);
    b.restore.restoreInto(TARGET, foundForeign, new RestoreMethod(RestoreMode.STREAMED, 1, "test"), copy);
    assertThat(count(copy)).isEqualTo(1000);
    ApplicationFailure wrongKey = failureOf(() -> forgotten.restore.findBackup(TARGET, "link_chat", foreign, null));
    assertThat(wrongKey.getType()).isEqualTo("WrongKey");
    assertThat(wrongKey.isNonRetryable()).isTrue();

    // Once the latest backup is made with the new key, the check says nothing is left to change.
    BackupKeyCheck afterBackup = b.keys.checkBackupKey(TARGET);
    assertThat(afterBackup.healthy()).isTrue();
    assertThat(afterBackup.latestBackupKeyId()).isEqualTo(KeyIds.ofPassphrase(KEY_B));
    assertThat(afterBackup.findings()).isEmpty();
    assertThat(afterBackup.runsByKeyId())
        .containsOnly(Map.entry(KeyIds.ofPassphrase(KEY_A), 1), Map.entry(KeyIds.ofPassphrase(KEY_B), 1));
    assertThat(afterBackup.unopenableRuns()).isEmpty();
    assertThat(afterBackup.toChange()).isEmpty();
  }

  @Test
  void aKeyReferenceThatResolvesToNothingIsAFindingWithWhatToChange() throws Exception {
    BackupSettings settings =
        new BackupSettings(TestStores.GOOD, "rotation-" + System.nanoTime(), "file:/nonexistent/backup-key", null, 1, 1000,
            null, null, null, null, List.of("env:PGRB_NO_SUCH_VARIABLE"));
    BackupKeyCheck check = new Worker(settings).keys.checkBackupKey(TARGET);
    assertThat(check.healthy()).isFalse();
    assertThat(check.resolves()).isFalse();
    assertThat(check.roundTrip()).isFalse();
    assertThat(check.keyId()).isNull();
    assertThat(check.findings())
        .anySatisfy(f -> assertThat(f).contains("file:/nonexistent/backup-key cannot be used"))
        .anySatisfy(f -> assertThat(f).contains("previous key env:PGRB_NO_SUCH_VARIABLE cannot be used"));
    assertThat(check.toChange()).anySatisfy(f -> assertThat(f).startsWith("make file:/nonexistent/backup-key resolve"));
  }

  private static BackupSettings keyAt(String keyRef) {
    return new BackupSettings(TestStores.GOOD, "rotation-" + System.nanoTime(), keyRef, null, 1, 1000, null, null, null, null, null);
  }

  @Test
  void aMissingKeyIsCreatedOwnerOnlyAndOnceOnly() throws Exception {
    Path file = Files.createTempDirectory("create-key-").resolve("backup-key");
    Worker worker = new Worker(keyAt("file:" + file));

    String done = worker.keys.createBackupKey(TARGET);
    String passphrase = Files.readString(file);
    assertThat(passphrase).hasSize(44).matches("[A-Za-z0-9+/]{43}=");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(done).isEqualTo("wrote a new random 256-bit key (key id " + KeyIds.ofPassphrase(passphrase) + ") to file:" + file
        + " (owner-only permissions, 0600)").doesNotContain(passphrase);
    assertThat(file.getParent().toFile().list()).as("no temporary file left").containsExactly("backup-key");

    // A retry after a worker crash, or a second run: the key is kept.
    assertThat(worker.keys.createBackupKey(TARGET))
        .isEqualTo("nothing: file:" + file + " resolves already (key id " + KeyIds.ofPassphrase(passphrase) + "); no key was written");
    assertThat(Files.readString(file)).isEqualTo(passphrase);
    assertThat(worker.keys.checkBackupKey(TARGET).healthy()).isTrue();
  }

  @Test
  void anEmptyKeyFileIsReplacedButAnEnvironmentKeyIsNeverWritten() throws Exception {
    Path file = Files.createTempFile("empty-key-", "");
    Worker worker = new Worker(keyAt("file:" + file));
    assertThat(worker.keys.createBackupKey(TARGET)).startsWith("wrote a new random 256-bit key");
    assertThat(Files.readString(file)).hasSize(44);

    ApplicationFailure env = failureOf(() -> new Worker(keyAt("env:PGRB_NO_SUCH_KEY")).keys.createBackupKey(TARGET));
    assertThat(env.getType()).isEqualTo(SecretWriter.UNWRITABLE_SECRET);
    assertThat(env.isNonRetryable()).isTrue();
    assertThat(env.getOriginalMessage()).contains("pgrunbooks.targets.link.backup.key-ref")
        .contains("env:PGRB_NO_SUCH_KEY is read from the worker's environment, which a run cannot change");
    ApplicationFailure noDirectory = failureOf(() -> new Worker(keyAt("file:/nonexistent/dir/key")).keys.createBackupKey(TARGET));
    assertThat(noDirectory.getType()).isEqualTo(SecretWriter.UNWRITABLE_SECRET);
    assertThat(noDirectory.getOriginalMessage()).contains("directory /nonexistent/dir of file:/nonexistent/dir/key does not exist");
  }

  @Test
  void aRotationKeepsTheOldKeyInItsArchiveAndIsDoneOnceOnly() throws Exception {
    Path file = Files.createTempDirectory("rotate-key-").resolve("backup-key");
    Files.writeString(file, KEY_A);
    String idA = KeyIds.ofPassphrase(KEY_A);
    Path archive = file.resolveSibling("backup-key." + idA);
    Worker worker = new Worker(keyAt("file:" + file));

    String done = worker.keys.rotateBackupKey(TARGET, idA);
    String newKey = Files.readString(file);
    String idNew = KeyIds.ofPassphrase(newKey);
    assertThat(newKey).hasSize(44).isNotEqualTo(KEY_A);
    assertThat(Files.readString(archive)).isEqualTo(KEY_A);
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(done).isEqualTo("rotated the key at file:" + file + ": the old key (key id " + idA + ") kept at file:" + archive
        + " and read back; a new random 256-bit key (key id " + idNew + ") written to file:" + file + " (owner-only permissions, 0600)");

    // The keyring lists the archive, found without any configuration.
    BackupKeyCheck check = worker.keys.checkBackupKey(TARGET);
    assertThat(check.healthy()).as(check.findings().toString()).isTrue();
    assertThat(check.keyring()).extracting(e -> e.role() + " " + e.keyRef() + " " + e.keyId())
        .containsExactly("current file:" + file + " " + idNew, "archived file:" + archive + " " + idA);

    // The retry after a crash that came after the write: done already, nothing written again.
    assertThat(worker.keys.rotateBackupKey(TARGET, idA)).isEqualTo(
        "nothing: the key was rotated already: file:" + file + " holds key id " + idNew + ", the old key " + idA + " is kept at file:" + archive);
    assertThat(Files.readString(file)).isEqualTo(newKey);

    // A key changed by someone else after the check: refused, nothing written.
    String other = KeyIds.ofPassphrase(KEY_B);
    ApplicationFailure changed = failureOf(() -> worker.keys.rotateBackupKey(TARGET, other));
    assertThat(changed.getType()).isEqualTo("KeyChanged");
    assertThat(changed.isNonRetryable()).isTrue();
    assertThat(changed.getOriginalMessage()).contains("holds key id " + idNew + ", not " + other).doesNotContain(newKey);
    assertThat(Files.readString(file)).isEqualTo(newKey);
    assertThat(file.getParent().toFile().list()).containsExactlyInAnyOrder("backup-key", "backup-key." + idA);
  }

  /** A crash after the archive was written but before the new key: the retry finds the archive and finishes. */
  @Test
  void aRotationInterruptedAfterTheArchiveFinishesOnRetry() throws Exception {
    Path file = Files.createTempDirectory("rotate-again-").resolve("backup-key");
    Files.writeString(file, KEY_A);
    String idA = KeyIds.ofPassphrase(KEY_A);
    Files.writeString(file.resolveSibling("backup-key." + idA), KEY_A);
    Worker worker = new Worker(keyAt("file:" + file));
    assertThat(worker.keys.rotateBackupKey(TARGET, idA)).startsWith("rotated the key at file:" + file);
    assertThat(Files.readString(file)).hasSize(44);
    assertThat(Files.readString(file.resolveSibling("backup-key." + idA))).isEqualTo(KEY_A);
  }
}
