package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.secrets.SecretWriter;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.backup.BackupSet;
import io.pgrunbooks.workflows.backup.ObjectVerification;
import io.pgrunbooks.workflows.backupfailure.BackupError;
import io.pgrunbooks.workflows.backupfailure.BackupFailureClassifier;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.backupfailure.BackupFailureResult;
import io.pgrunbooks.workflows.backupfailure.BackupFailureStatus;
import io.pgrunbooks.workflows.backupfailure.ClassifiedError;
import io.pgrunbooks.workflows.backupfailure.FailureClass;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5 of the runbook whole (real workflow, real activities, real backup and verification
 * children) against a real PostgreSQL and s3proxy: the key file behind the target's key-ref
 * deleted, created again after approval (owner-only) and backed up and verified, or the creation
 * rejected; and a requested key rotation after which the backup made before it still verifies and
 * restores, its key found in the archive the rotation left ({@code <key-ref>.<key id>}) with no
 * previous-key-refs configured. Prometheus (step 1) is stubbed, as in the other whole-run test.
 */
class RespondToBackupFailureKeyAgainstRealPostgresTest {
  static final String QUEUE = "backup-failure-key";
  static final String TARGET = "link";
  static final String DATABASE = "link_users";
  static final String OLD_KEY = "the passphrase the old backups were made with";
  static PostgresCluster cluster;
  static TestStores stores;

  /** This test's worker's metrics (the backups BackupSteps makes count elsewhere). */
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final long startedAt = java.time.Instant.now().getEpochSecond() - 1;
  private Path keyFile;
  private BackupSettings settings;
  private BackupSteps steps;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void servers() {
    cluster = PostgresCluster.start("backup-failure-key", Map.of());
    cluster.execute("postgres", "create database " + DATABASE);
    cluster.execute(DATABASE, "create table users (id int primary key)", "insert into users select generate_series(1, 10)");
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A target whose key-ref is {@code file:<temp dir>/backup-key} (no previous-key-refs), the key not written yet. */
  @BeforeEach
  void worker() throws Exception {
    keyFile = Files.createTempDirectory("bf-keys-").resolve("backup-key");
    settings = new BackupSettings(TestStores.GOOD, "bf-key-" + System.nanoTime(), "file:" + keyFile, null, 1, null, null, null, null,
        null, null);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(TARGET, HostTargets.of(cluster, List.of(DATABASE), settings))));
    SecretResolver secrets = new SecretResolver(() -> null);
    steps = new BackupSteps(cluster, stores, TARGET, DATABASE, settings);
    env = BackupFailureWorker.start(QUEUE, registry, stores, meters,
        new KeyRotationActivitiesImpl(registry, stores.storage, secrets, new SecretWriter(() -> null)));
    client = env.getWorkflowClient();
  }

  @AfterEach
  void close() {
    env.close();
    steps.close();
    cluster.execute(DATABASE, "delete from users where id > 10");
  }

  /** postgres_backup_last_success_timestamp of the database on this test's worker (0 before any success). */
  private double lastSuccess() {
    var gauge = meters.find("postgres.backup.last.success.timestamp").tag("target", TARGET).tag("database", DATABASE).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private RespondToBackupFailureWorkflow start(String id, Boolean rotateKey) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest(TARGET, null, false, "test", rotateKey));
    return wf;
  }

  private static BackupFailureResult result(RespondToBackupFailureWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
  }

  /**
   * The error a scheduled backup fails with now, as step 4 classifies it (the runbook reads it from
   * Temporal visibility, which the in-memory test server does not implement).
   */
  private ClassifiedError scheduledBackupError() {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> steps.backUp("20261130_013000"));
    assertThat(failure).as("the backup cannot succeed without its key").isNotNull();
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    return BackupFailureClassifier.classify(new BackupError("temporal:scheduled", cause.getType(), cause.getOriginalMessage()));
  }

  /** Everything the run's history holds, its payloads decoded: where a secret must not be. */
  private String history(RespondToBackupFailureWorkflow wf) {
    String json = client.fetchHistory(WorkflowStub.fromTyped(wf).getExecution().getWorkflowId()).toJson(false).replace("\\u003d", "=");
    StringBuilder all = new StringBuilder(json);
    Matcher data = Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"").matcher(json);
    while (data.find()) {
      all.append('\n').append(new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8));
    }
    assertThat(all).as("the payloads were decoded").contains("\"keyRef\":\"file:" + keyFile + "\"");
    return all.toString();
  }

  private static long rows(String database) throws Exception {
    try (var c = cluster.connect(database); var st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from users")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The run fixed the key, backed up and verified: a new success in the metrics. */
  private void assertBackedUpAndVerified(BackupFailureResult r) {
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.key().ok()).as(r.key().describe()).isTrue();
    assertThat(r.backupMetadataKey()).endsWith("metadata.json");
    assertThat(r.verified()).isTrue();
    assertThat(lastSuccess()).as("postgres_backup_last_success_timestamp moved on").isGreaterThan(startedAt);
  }

  @Test
  void aDeletedKeyIsCreatedAfterApprovalThenBackedUpAndVerified() throws Exception {
    Files.writeString(keyFile, OLD_KEY);
    BackupSet old = steps.backUp("20261130_010000");
    Files.delete(keyFile);
    ClassifiedError error = scheduledBackupError();
    assertThat(error.failureClass()).as(error.evidence()).isEqualTo(FailureClass.ENCRYPTION);
    assertThat(error.error().message()).startsWith("encryption key: secret reference 'file:" + keyFile + "' cannot be resolved");

    RespondToBackupFailureWorkflow wf = start("bf-key-missing", null);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.CREATE_KEY_GATE);
    assertThat(gate.description()).contains("write a new random 256-bit passphrase (44 base64 characters, a new file with owner-only"
        + " permissions 0600) to file:" + keyFile);
    assertThat(keyFile).as("nothing is written before the approval").doesNotExist();
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertBackedUpAndVerified(r);
    assertThat(r.classes()).containsExactly(FailureClass.ENCRYPTION);
    String key = Files.readString(keyFile);
    assertThat(key).hasSize(44);
    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(r.actions()).first().isEqualTo("wrote a new random 256-bit key (key id " + KeyIds.ofPassphrase(key) + ") to file:"
        + keyFile + " (owner-only permissions, 0600)");
    assertThat(r.checks()).contains("after creating the key: key file:" + keyFile + " resolves (44 characters, key id "
        + KeyIds.ofPassphrase(key) + "), round trip passes");
    assertThat(r.findings()).as("the backup made with the lost key stays unopenable, and the run says so")
        .anySatisfy(f -> assertThat(f).contains("backup run(s) were made with key id " + old.keyId()).contains("cannot be restored"))
        .anySatisfy(f -> assertThat(f).startsWith("encryption key: a new key was written to file:" + keyFile));
    assertThat(history(wf)).as("the new key is nowhere in the run's history").doesNotContain(key);
    assertThat(r.report()).doesNotContain(key);
    GatedRuns.saveHistory(client, wf, "respond-to-backup-failure-key");
  }

  @Test
  void aRejectedKeyCreationEndsTheRunWithTheReasonAndWritesNoKey() throws Exception {
    RespondToBackupFailureWorkflow wf = start("bf-key-rejected", null);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.CREATE_KEY_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "the old key is in the vault", null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: the old key is in the vault");
    assertThat(r.classes()).containsExactly(FailureClass.ENCRYPTION);
    assertThat(r.backupChildId()).isNull();
    assertThat(keyFile).as("no key was written").doesNotExist();
    assertThat(keyFile.getParent().toFile().list()).isEmpty();
    assertThat(lastSuccess()).isZero();
  }

  @Test
  void aRotationKeepsTheBackupMadeBeforeItRestorableThroughTheArchive() throws Exception {
    Files.writeString(keyFile, OLD_KEY);
    BackupSet before = steps.backUp("20261130_020000");
    String oldId = KeyIds.ofPassphrase(OLD_KEY);
    assertThat(before.keyId()).isEqualTo(oldId);
    Path archive = keyFile.resolveSibling("backup-key." + oldId);
    cluster.execute(DATABASE, "insert into users select generate_series(11, 15)");

    RespondToBackupFailureWorkflow wf = start("bf-key-rotate", true);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.ROTATE_KEY_GATE);
    assertThat(gate.description()).contains("copy the passphrase of file:" + keyFile + " (key id " + oldId + ") to file:" + archive);
    assertThat(archive).doesNotExist();
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "security team agreed", null));

    BackupFailureResult r = result(wf);
    assertBackedUpAndVerified(r);
    String newKey = Files.readString(keyFile);
    assertThat(newKey).hasSize(44).isNotEqualTo(OLD_KEY);
    assertThat(Files.readString(archive)).isEqualTo(OLD_KEY);
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(r.key().keyId()).isEqualTo(KeyIds.ofPassphrase(newKey));
    assertThat(r.actions()).first().asString().startsWith("rotated the key at file:" + keyFile + ": the old key (key id " + oldId
        + ") kept at file:" + archive + " and read back");
    assertThat(r.checks()).contains("after rotating the key, the backups' keys: each of the 1 backup run(s) in the store opens with"
        + " a key of the keyring (2 key(s))");
    assertThat(history(wf)).doesNotContain(newKey).doesNotContain(OLD_KEY);

    // The backup made before the rotation verifies and restores, its key found in the archive (nothing configured).
    assertThat(steps.find(before.objects().get(0).objectKey()).keyRef()).isEqualTo("file:" + archive);
    ObjectVerification verified = steps.verification.verifyObject(before, before.objects().get(0), "pgrb_verify_before_rotation");
    assertThat(verified.passed()).as(verified.problem()).isTrue();
    assertThat(rows(steps.restored(before, "20261130_030001"))).isEqualTo(10);
    // And the one the run made after it, with the new key.
    BackupSet after = steps.verification.loadBackupSet(TARGET, r.backupMetadataKey());
    assertThat(after.keyId()).isEqualTo(KeyIds.ofPassphrase(newKey));
    assertThat(rows(steps.restored(after, "20261130_030002"))).isEqualTo(15);
  }
}
