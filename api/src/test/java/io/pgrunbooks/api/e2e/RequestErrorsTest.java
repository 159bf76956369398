package io.pgrunbooks.api.e2e;

import static io.pgrunbooks.api.e2e.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Wrong input gets a 4xx problem detail a person can act on, never a 500 or a stack trace. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestErrorsTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  private Http http() {
    return new Http(port);
  }

  @Test
  void anUnknownRunbookIsA400ThatListsTheRunbooks() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"drop-everything\",\"target\":\"demo\"}"),
        400,
        "unknown runbook 'drop-everything'; one of [assess-database-health, diagnose-database, backup-databases, verify-backup, restore-from-backup, drop-restore-leftover, recover-to-point-in-time, relieve-connection-exhaustion, validate-recovery, run-maintenance, watch-after-incident, ");
  }

  @Test
  void connectionReliefRefusesANegativeIdleTimeAndALimitOutOfRange() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"relieve-connection-exhaustion\",\"target\":\"demo\",\"idleMinutes\":-1}"),
        400,
        "'idleMinutes' must be between 0 and 10080");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"relieve-connection-exhaustion\",\"target\":\"demo\",\"maxConnections\":5}"),
        400,
        "'maxConnections' must be between 10 and 10000");
  }

  @Test
  void theBackupFailureResponseRefusesABadVolumeSizeAndOthersRefuseItsKeyRotation() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"respond-to-backup-failure\",\"target\":\"demo\",\"expandTo\":\"200 gigs\"}"),
        400,
        "'expandTo' is a Kubernetes quantity such as 200Gi, got '200 gigs'");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"assess-database-health\",\"target\":\"demo\",\"rotateKey\":true}"),
        400,
        "takes only");
  }

  @Test
  void anUnknownTargetIsA400ThatListsTheTargets() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"assess-database-health\",\"target\":\"prod\"}"),
        400,
        "unknown target 'prod'; one of [demo]");
  }

  @Test
  void aMalformedBodyIsA400() {
    Http.Response r = http().post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\": ");
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.raw()).doesNotContain("\tat ");
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedNotItsJavaClass() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"parallelism\":\"many\"}"),
        400,
        "'parallelism' has the wrong type");
  }

  @Test
  void aMissingTargetIsA400() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"assess-database-health\"}"),
        400,
        "'target' is required");
  }

  @Test
  void anUnknownRunIsA404() {
    assertProblem(
        http().get("/api/runs/assess-database-health/demo/19700101-000000", StackFixture.VIEWER_TOKEN),
        404,
        "no run with id 'assess-database-health/demo/19700101-000000'");
  }

  @Test
  void aTargetWithQuotesInAListingIsRefusedBeforeItReachesAQuery() {
    assertProblem(
        http().get("/api/runs?target=x'%20OR%20'1'='1", StackFixture.VIEWER_TOKEN), 400, "target names are");
  }

  @Test
  void aPassphraseWhereItsReferenceBelongsIsRefusedBeforeItReachesHistory() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"keyRef\":\"hunter2 my secret\"}"),
        400,
        "'keyRef' must be a reference");
  }

  @Test
  void anUnknownBackupFormatIsA400() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"format\":\"gzip9\"}"),
        400,
        "unknown format 'gzip9'; one of [compatible, fast]");
  }

  @Test
  void aRestoreNeedsAValidDatabaseNameAndMode() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\"}"),
        400, "'database' is required");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"x; drop database y\"}"),
        400, "lower-case letters, digits and _");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"link_users\",\"mode\":\"turbo\"}"),
        400, "unknown mode 'turbo'; one of [auto, streamed, staged]");
  }

  @Test
  void anObjectKeyThatCouldLeaveTheBucketOrForgeALogLineIsRefused() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"link_users\",\"objectKey\":\"../../etc/passwd\"}"),
        400, "'objectKey' has a '..' segment");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"verify-backup\",\"target\":\"demo\",\"metadataKey\":\"postgres-backups/latest/metadata.json\\nforged\"}"),
        400, "'metadataKey' holds a control character");
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"link_users\",\"objectKey\":\"/etc/passwd\"}"),
        400, "'objectKey' starts with '/'");
  }

  @Test
  void aPointInTimeRecoveryNeedsAnRfc3339TargetTime() {
    assertProblem(
        http().post("/api/runs", StackFixture.OPERATOR_TOKEN,
            "{\"runbook\":\"recover-to-point-in-time\",\"target\":\"demo\",\"targetTime\":\"yesterday noon\"}"),
        400, "'targetTime' is not an RFC 3339 time");
  }

  @Test
  void noTokenIs401() {
    Http.Response r = http().get("/api/runbooks", null);
    assertProblem(r, 401, "Bearer");
  }

  @Test
  void aWrongTokenIs401() {
    assertProblem(http().get("/api/runbooks", "not-a-token"), 401, "Bearer");
  }

  @Test
  void aViewerCannotStartRuns() {
    assertProblem(
        http().post("/api/runs", StackFixture.VIEWER_TOKEN, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}"),
        403,
        "starting runs needs operator");
  }

  @Test
  void healthNeedsNoToken() {
    assertThat(http().get("/actuator/health", null).status()).isEqualTo(200);
  }
}
