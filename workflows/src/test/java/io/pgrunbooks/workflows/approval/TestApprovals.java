package io.pgrunbooks.workflows.approval;

import java.nio.charset.StandardCharsets;

/** Approvals in tests: the verifier a test worker registers, and decisions signed as the API signs them. */
public final class TestApprovals {
  /** The signing key of the tests' "API". */
  public static final byte[] KEY = "test-approval-signing-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private TestApprovals() {}

  /**
   * For tests that decide with plain (unsigned) signals, as someone with access to the Temporal
   * namespace does when the workers trust it: each decision counts for the person it names.
   */
  public static ApprovalVerificationActivities trustingNamespace() {
    return new ApprovalVerifier(KEY, true);
  }

  /** The production default: only decisions the API signed with {@link #KEY} may approve. */
  public static ApprovalVerificationActivities signedOnly() {
    return new ApprovalVerifier(KEY, false);
  }

  /** {@code d} signed with {@code key} for the run and the gate's opening, at {@code signedAt}. */
  public static ApprovalDecision sign(
      byte[] key, String workflowId, GateView gate, String verb, ApprovalDecision d, String signedAt) {
    ApprovalDecision unsigned =
        new ApprovalDecision(d.gateId(), d.person(), d.digest(), d.comment(), d.expiresAt(), signedAt, null);
    String signature = DecisionSignature.sign(key, workflowId, gate.openedAt(), verb, unsigned);
    return new ApprovalDecision(d.gateId(), d.person(), d.digest(), d.comment(), d.expiresAt(), signedAt, signature);
  }
}
