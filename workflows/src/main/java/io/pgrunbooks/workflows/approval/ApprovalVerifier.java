package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.approval.DecisionVerdict.Trust;

/**
 * The verification itself, given the key and the policy (no I/O): the worker's activity resolves
 * the key and hands over; tests register it directly.
 */
public final class ApprovalVerifier implements ApprovalVerificationActivities {
  /** Where an unverified approver is told to go instead. */
  public static final String HOW_TO_APPROVE =
      "approve through the API (POST /api/approvals/<workflow id> with an approver's token), which signs the"
          + " decision; or have the workers trust the Temporal namespace's own authorization"
          + " (pgrunbooks.approvals.trust-namespace=true)";

  private final byte[] key;
  private final boolean trustNamespace;

  /**
   * @param key the signing key, or null when none is configured (then nothing verifies as signed)
   * @param trustNamespace whether unsigned decisions are believed (see {@link Trust#NAMESPACE_TRUSTED})
   */
  public ApprovalVerifier(byte[] key, boolean trustNamespace) {
    this.key = key == null ? null : key.clone();
    this.trustNamespace = trustNamespace;
  }

  @Override
  public DecisionVerdict verifyApprovalDecision(DecisionCheck c) {
    ApprovalDecision d = c.decision();
    if (d.signed()) {
      if (key == null) {
        return new DecisionVerdict(
            Trust.UNVERIFIED,
            "signed, but this worker has no signing key to verify it with: set pgrunbooks.approvals.signing-key-ref"
                + " on the workers to the same secret as the API's");
      }
      if (DecisionSignature.verifies(key, c.workflowId(), c.gateOpenedAt(), c.verb(), d)) {
        return new DecisionVerdict(Trust.SIGNED, "signed by the API for " + d.person());
      }
      return new DecisionVerdict(
          Trust.UNVERIFIED,
          "its signature does not verify: it was not signed by the API for this run, gate, person and text (forged,"
              + " altered or copied from another decision); " + HOW_TO_APPROVE);
    }
    if (trustNamespace) {
      return new DecisionVerdict(
          Trust.NAMESPACE_TRUSTED,
          "unsigned; believed because the workers trust whoever may signal in this Temporal namespace");
    }
    return new DecisionVerdict(
        Trust.UNVERIFIED,
        "unsigned: sent around the API (Temporal CLI, Web UI or a client), so '" + d.person()
            + "' is only a claim; " + HOW_TO_APPROVE);
  }
}
