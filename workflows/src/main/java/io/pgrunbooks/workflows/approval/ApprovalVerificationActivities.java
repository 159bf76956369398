package io.pgrunbooks.workflows.approval;

import io.temporal.activity.ActivityInterface;

/**
 * Whether a decision's person can be believed, answered by the worker, which holds the signing key
 * (resolved from {@code pgrunbooks.approvals.signing-key-ref} inside the activity, never in the
 * run's history) and the policy for unsigned decisions. Run as a local activity: its verdict, not
 * the key, is recorded.
 */
@ActivityInterface
public interface ApprovalVerificationActivities {
  DecisionVerdict verifyApprovalDecision(DecisionCheck check);
}
