package io.pgrunbooks.activities.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.DecisionCheck;
import io.pgrunbooks.workflows.approval.DecisionSignature;
import io.pgrunbooks.workflows.approval.DecisionVerdict.Trust;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalVerificationActivitiesImplTest {
  private static final String RUN = "restore-from-backup/link/20261122-101500";
  private static final String OPENED = "2026-11-22T10:20:00Z";
  private static final ApprovalDecision BOB = new ApprovalDecision("swap-databases", "bob", "d1", "ok", null, "2026-11-22T10:25:00Z", null);

  @TempDir Path dir;

  private ApprovalVerificationActivitiesImpl verifier(String secret, boolean trustNamespace) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), secret + "\n");
    return new ApprovalVerificationActivitiesImpl(new SecretResolver(() -> null), "file:" + key, trustNamespace);
  }

  private static ApprovalDecision signedWith(String secret, ApprovalDecision d) {
    String signature = DecisionSignature.sign(secret.getBytes(StandardCharsets.UTF_8), RUN, OPENED, "approve", d);
    return new ApprovalDecision(d.gateId(), d.person(), d.digest(), d.comment(), d.expiresAt(), d.signedAt(), signature);
  }

  @Test
  void aDecisionSignedWithTheConfiguredKeyVerifies() throws Exception {
    String secret = "k".repeat(40);
    var verdict = verifier(secret, false).verifyApprovalDecision(new DecisionCheck(RUN, OPENED, "approve", signedWith(secret, BOB)));
    assertThat(verdict.trust()).isEqualTo(Trust.SIGNED);
    assertThat(verdict.via()).isEqualTo("api (signed)");
  }

  @Test
  void anotherPersonOrAnotherGateOpeningOnTheSameSignatureDoesNotVerify() throws Exception {
    String secret = "k".repeat(40);
    ApprovalDecision signed = signedWith(secret, BOB);
    ApprovalVerificationActivitiesImpl v = verifier(secret, true);
    ApprovalDecision renamed = new ApprovalDecision("swap-databases", "dave", "d1", "ok", null, signed.signedAt(), signed.signature());
    assertThat(v.verifyApprovalDecision(new DecisionCheck(RUN, OPENED, "approve", renamed)).trust()).isEqualTo(Trust.UNVERIFIED);
    assertThat(v.verifyApprovalDecision(new DecisionCheck(RUN, "2026-11-22T11:00:00Z", "approve", signed)).reason())
        .contains("does not verify");
  }

  @Test
  void unsignedDecisionsAreUnverifiedUnlessTheNamespaceIsTrusted() throws Exception {
    ApprovalDecision unsigned = new ApprovalDecision("swap-databases", "bob", "d1", "ok", null);
    assertThat(verifier("k".repeat(40), false).verifyApprovalDecision(new DecisionCheck(RUN, OPENED, "approve", unsigned)).reason())
        .contains("'bob' is only a claim").contains("POST /api/approvals/");
    assertThat(verifier("k".repeat(40), true).verifyApprovalDecision(new DecisionCheck(RUN, OPENED, "approve", unsigned)).trust())
        .isEqualTo(Trust.NAMESPACE_TRUSTED);
  }

  @Test
  void aKeyShorterThan32BytesIsBadConfigurationNamedByItsReference() throws Exception {
    ApprovalVerificationActivitiesImpl v = verifier("short", false);
    assertThatThrownBy(() -> v.verifyApprovalDecision(new DecisionCheck(RUN, OPENED, "approve", signedWith("short".repeat(7), BOB))))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("pgrunbooks.approvals.signing-key-ref 'file:")
        .hasMessageContaining("at least 32 bytes")
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue());
  }
}
