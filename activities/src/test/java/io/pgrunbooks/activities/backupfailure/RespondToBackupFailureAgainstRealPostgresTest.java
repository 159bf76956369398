package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.backupfailure.BackupFailureResult;
import io.pgrunbooks.workflows.backupfailure.BackupFailureStatus;
import io.pgrunbooks.workflows.backupfailure.FailureClass;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The runbook whole (real workflow, real activities, real backup and verification children) against
 * a real PostgreSQL and s3proxy, with each failure made real: the cluster stopped, the backup role's
 * password changed, the role dropped; each approved fix works and a new backup verifies. A rejected
 * fix ends the run with its reason. Prometheus (step 1) is another helper's: stubbed here.
 */
class RespondToBackupFailureAgainstRealPostgresTest {
  static final String QUEUE = "backup-failure";
  static final String ROLE = "backup_role";
  /** A store on s3proxy whose bucket does not exist until the create-bucket gate is approved (unique per JVM). */
  static final String FRESH = "fresh";
  static final String FRESH_BUCKET = "bf-missing-" + System.nanoTime();
  /** Another missing bucket, for the rejected gate (it must stay missing). */
  static final String KEPT = "kept";
  static final String KEPT_BUCKET = "bf-kept-" + System.nanoTime();
  static PostgresCluster cluster;
  static TestStores stores;
  static Path keyFile;
  static Path rolePassword;

  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeAll
  static void servers() throws Exception {
    cluster = PostgresCluster.start("backup-failure-runbook", Map.of());
    cluster.execute("postgres", "create database link_users");
    cluster.execute("link_users", "create table users (id int primary key)", "insert into users select generate_series(1, 10)");
    keyFile = Files.createTempFile("bf-key-", "");
    Files.writeString(keyFile, "backup failure passphrase");
    rolePassword = Files.createTempFile("bf-role-pw-", "");
    Files.writeString(rolePassword, "role's 'secret\" pw");
    stores = new TestStores(Map.of(FRESH, FRESH_BUCKET, KEPT, KEPT_BUCKET));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** The worker's metrics, as Prometheus would scrape them. */
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final long startedAt = java.time.Instant.now().getEpochSecond() - 1;

  /** postgres_backup_last_success_timestamp of link_users (0 before any success). */
  private double lastSuccess() {
    var gauge = meters.find("postgres.backup.last.success.timestamp").tag("target", "link").tag("database", "link_users").gauge();
    return gauge == null ? 0 : gauge.value();
  }

  @BeforeEach
  void worker() {
    try (var c = cluster.connect("postgres")) {
      // up
    } catch (java.sql.SQLException down) {
      cluster.restart(Map.of()); // a test stopped it
    }
    dropRole();
    cluster.execute("postgres", "create role " + ROLE + " login createdb password 'role''s ''secret\" pw'", "grant pg_read_all_data to " + ROLE);
    TargetConfig plain = HostTargets.of(cluster, List.of("link_users"));
    TargetConfig target = new TargetConfig(plain.hosting(), plain.primary(), List.of(), List.of("link_users"), List.of(), null,
        plain.host(), null, new BackupSettings(TestStores.GOOD, "bf-" + System.nanoTime(), "file:" + keyFile, null, 1, null, null,
            ROLE, "file:" + rolePassword, null, null));
    TargetConfig fresh = withStore(target, FRESH);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("link", target, "link-fresh", fresh, "link-wrong-keys", withStore(target, TestStores.WRONG_KEYS),
        "link-kept", withStore(target, KEPT))));
    env = BackupFailureWorker.start(QUEUE, registry, stores, meters, new DatabaseRestartActivitiesImpl(registry, HostTargets.NO_KUBERNETES));
    client = env.getWorkflowClient();
  }

  private static TargetConfig withStore(TargetConfig target, String store) {
    BackupSettings b = target.backup();
    return new TargetConfig(target.hosting(), target.primary(), List.of(), List.of("link_users"), List.of(), null, target.host(), null,
        new BackupSettings(store, b.prefix(), b.keyRef(), null, 1, null, null, ROLE, b.passwordRef(), null, null));
  }

  /** Drops the backup role with what depends on it (its CONNECT grants), as someone removing it would. */
  private static void dropRole() {
    cluster.execute("link_users", "do $$ begin if exists (select from pg_roles where rolname = '" + ROLE + "') then"
        + " drop owned by " + ROLE + "; end if; end $$");
    cluster.execute("postgres", "do $$ begin if exists (select from pg_roles where rolname = '" + ROLE + "') then"
        + " drop owned by " + ROLE + "; end if; end $$", "drop role if exists " + ROLE);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private RespondToBackupFailureWorkflow start(String id) {
    return start(id, "link");
  }

  private RespondToBackupFailureWorkflow start(String id, String target) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest(target, null, false, "test"));
    return wf;
  }

  private static BackupFailureResult result(RespondToBackupFailureWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
  }

  /** The fix worked, the child backup succeeded and the child verification passed: a new success in the metrics. */
  private void assertRepairedAndBackedUp(BackupFailureResult r, FailureClass expected) {
    assertThat(r.classes()).as(r.report()).contains(expected);
    assertThat(r.backupMetadataKey()).as(r.report()).endsWith("metadata.json");
    assertThat(r.actions()).anySatisfy(a -> assertThat(a).startsWith("backed up 1 database(s)"));
    assertThat(r.key().ok()).isTrue();
    assertThat(r.store().ok()).as(r.store().describe()).isTrue();
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(lastSuccess()).as("postgres_backup_last_success_timestamp moved on").isGreaterThan(startedAt);
  }

  @Test
  void aStoppedDatabaseIsStartedAfterApprovalThenBackedUpAndVerified() throws Exception {
    cluster.stop();
    RespondToBackupFailureWorkflow wf = start("bf-stopped");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.START_GATE);
    assertThat(gate.description()).contains("pg_ctl start");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "start it", null));

    BackupFailureResult r = result(wf);
    assertRepairedAndBackedUp(r, FailureClass.CONNECTIVITY);
    assertThat(r.actions()).first().asString().startsWith("pg_ctl start of the cluster at " + cluster.dataDirectory());
    assertThat(r.connectivity().ok()).isTrue();
    assertThat(r.checks()).first().asString().contains("SELECT 1 answered");
  }

  /**
   * A cluster that runs but listens on no TCP address (started with {@code -c listen_addresses=''}),
   * whose start options were corrected since (postmaster.opts, which pg_ctl restart reuses, no longer
   * carries the override): the check finds it running and unreachable, the approved restart-database
   * gate's pg_ctl restart makes it listen again, and the new backup verifies.
   */
  @Test
  void aRunningClusterThatDoesNotAnswerIsRestartedAfterApprovalThenBackedUp() throws Exception {
    cluster.stop();
    cluster.restart(Map.of("listen_addresses", "''"));
    try {
      Path opts = cluster.dataDirectory().resolve("postmaster.opts");
      String started = Files.readString(opts);
      assertThat(started).contains(" \"-c\" \"listen_addresses=\"");
      Files.writeString(opts, started.replace(" \"-c\" \"listen_addresses=\"", ""));
      RespondToBackupFailureWorkflow wf = start("bf-unanswering");
      GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.RESTART_GATE);
      assertThat(gate.description()).startsWith("pg_ctl restart -m fast of the running cluster of target link (pid ")
          .contains("TCP closed, SELECT 1 failed, cluster running (pid ").contains("listen_addresses '127.0.0.1'");
      wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

      BackupFailureResult r = result(wf);
      assertRepairedAndBackedUp(r, FailureClass.CONNECTIVITY);
      assertThat(r.actions()).first().asString().startsWith("pg_ctl restart -m fast of the cluster at " + cluster.dataDirectory());
      assertThat(r.checks()).first().asString().startsWith("after restarting the cluster: ").contains("SELECT 1 answered");
      GatedRuns.saveHistory(env.getWorkflowClient(), wf, "respond-to-backup-failure-restart");
    } finally {
      try (var c = cluster.connect("postgres")) {
        // listening again
      } catch (java.sql.SQLException stillDeaf) {
        cluster.stop();
        cluster.restart(Map.of());
      }
    }
  }

  @Test
  void aChangedPasswordOfTheBackupRoleIsResetAfterApproval() throws Exception {
    cluster.execute("postgres", "alter role " + ROLE + " password 'changed elsewhere'");
    RespondToBackupFailureWorkflow wf = start("bf-password");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.ROLE_GATE);
    assertThat(gate.description()).contains("ALTER ROLE " + ROLE).doesNotContain("secret");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertRepairedAndBackedUp(r, FailureClass.AUTHENTICATION);
    assertThat(r.actions()).first().asString().contains("reset role " + ROLE).contains("granted pg_read_all_data");
    assertThat(r.role().ok()).isTrue();
    assertThat(r.report()).doesNotContain("secret");
  }

  @Test
  void aDroppedBackupRoleIsCreatedAfterApproval() throws Exception {
    dropRole();
    RespondToBackupFailureWorkflow wf = start("bf-dropped");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.ROLE_GATE);
    assertThat(gate.description()).contains("CREATE ROLE " + ROLE);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertRepairedAndBackedUp(r, FailureClass.AUTHENTICATION);
    assertThat(r.actions()).first().asString().contains("created role " + ROLE);
  }

  /**
   * The store's bucket does not exist in s3proxy: the probe finds it (HeadBucket 404), the approved
   * create-bucket gate creates it, the probe passes again and the new backup verifies. s3proxy does
   * not implement GetBucketReplication: that is a finding, not a failure.
   */
  @Test
  void aMissingBucketIsCreatedAfterApprovalThenBackedUpAndVerified() throws Exception {
    assertThat(bucketExists(FRESH, FRESH_BUCKET)).isFalse();
    RespondToBackupFailureWorkflow wf = start("bf-bucket", "link-fresh");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.BUCKET_GATE);
    assertThat(gate.description()).contains("create bucket " + FRESH_BUCKET + " in store " + FRESH + " (endpoint " + stores.s3.endpoint());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.classes()).as(r.report()).contains(FailureClass.S3);
    assertThat(r.actions()).first().asString().startsWith("created bucket " + FRESH_BUCKET + " in store " + FRESH);
    assertThat(r.checks()).first().asString().contains("after creating the bucket").contains("HeadBucket, list, put, get and delete all pass; bucket policy: none set");
    assertThat(r.store().ok()).as(r.store().describe()).isTrue();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).startsWith("backup redundancy (NOT_REPORTED): replication not reported by this store"));
    assertThat(r.backupMetadataKey()).as(r.report()).endsWith("metadata.json");
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(bucketExists(FRESH, FRESH_BUCKET)).isTrue();
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "respond-to-backup-failure-bucket");
  }

  private static boolean bucketExists(String store, String bucket) {
    return stores.clients.client(store).listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket));
  }

  @Test
  void aRejectedBucketCreationCreatesNothing() throws Exception {
    RespondToBackupFailureWorkflow wf = start("bf-bucket-rejected", "link-kept");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.BUCKET_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "the bucket name is a typo", null));
    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: the bucket name is a typo");
    assertThat(r.backupChildId()).isNull();
    assertThat(bucketExists(KEPT, KEPT_BUCKET)).as("the bucket was not created").isFalse();
  }

  /** A retry after a worker crash, or a bucket someone else made meanwhile: nothing is done twice. */
  @Test
  void creatingTheBucketTwiceIsDoneOnce() {
    String bucket = "bf-twice-" + System.nanoTime();
    TestStores twice = new TestStores(Map.of("twice", bucket));
    TargetConfig plain = HostTargets.of(cluster, List.of("link_users"));
    TargetConfig target = new TargetConfig(plain.hosting(), plain.primary(), List.of(), List.of("link_users"), List.of(), null,
        plain.host(), null, new BackupSettings("twice", "p", null, null, 1, null, null, ROLE, null, null, null));
    SecretResolver secrets = new SecretResolver(() -> null);
    var activities = new BackupFailureActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("t", target))),
        new PostgresConnector(secrets), secrets, twice.registry, twice.clients, HostTargets.NO_KUBERNETES,
        new StaticListableBeanFactory(Map.of()).getBeanProvider(WorkflowClient.class));
    try (twice.clients) {
      assertThat(activities.probeObjectStore("t").bucketMissing()).isTrue();
      assertThat(activities.createBackupBucket("t")).startsWith("created bucket " + bucket + " in store twice (endpoint ");
      assertThat(activities.createBackupBucket("t")).startsWith("nothing: bucket " + bucket + " of store twice exists already");
      assertThat(activities.probeObjectStore("t").ok()).isTrue();
    }
  }

  @Test
  void wrongStoreKeysEndTheRunBlockedWithTheRefusedStep() throws Exception {
    RespondToBackupFailureWorkflow wf = start("bf-wrong-keys", "link-wrong-keys");
    BackupFailureResult r = result(wf);
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).contains(FailureClass.S3);
    assertThat(r.decisions()).isEmpty();
    assertThat(r.store().missingPermission()).as("the key pair is wrong, no permission is missing").isNull();
    assertThat(r.reason()).contains("HeadBucket failed").contains("rejects the credentials");
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("HeadBucket failed").contains("pgrunbooks.stores." + TestStores.WRONG_KEYS));
    assertThat(r.backupChildId()).isNull();
  }

  @Test
  void aRejectedFixEndsTheRunCleanlyWithTheReason() throws Exception {
    dropRole();
    RespondToBackupFailureWorkflow wf = start("bf-rejected");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.ROLE_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "security review first", null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: security review first");
    assertThat(r.backupChildId()).isNull();
    try (var c = cluster.connect("postgres"); var st = c.createStatement();
        var rs = st.executeQuery("select count(*) from pg_roles where rolname = '" + ROLE + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the role was not created").isZero();
    }
  }
}
