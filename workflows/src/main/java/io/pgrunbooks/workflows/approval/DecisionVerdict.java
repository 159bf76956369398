package io.pgrunbooks.workflows.approval;

/**
 * How far a decision's person can be believed.
 *
 * @param trust what vouches for the person
 * @param reason a sentence for the audit: why, and for {@link Trust#UNVERIFIED}, how to decide so that it counts
 */
public record DecisionVerdict(Trust trust, String reason) {

  /** What vouches for the person named in a decision. */
  public enum Trust {
    /** The API's signature verified: the person is the one its bearer token or JWT named. */
    SIGNED,
    /**
     * Unsigned, and the worker is configured to trust whoever may signal in the Temporal namespace
     * ({@code pgrunbooks.approvals.trust-namespace=true}): the namespace's own authorization is the
     * control, and the person is as the sender wrote it.
     */
    NAMESPACE_TRUSTED,
    /** Unsigned, or a signature that does not verify: the person is only a claim. */
    UNVERIFIED
  }

  /** Whether an approval with this verdict may open the gate (any rejection may close it). */
  public boolean mayApprove() {
    return trust != Trust.UNVERIFIED;
  }

  /** The path, for the audit: {@code api (signed)}, {@code signal (namespace trusted)}, {@code signal (unverified)}. */
  public String via() {
    return switch (trust) {
      case SIGNED -> "api (signed)";
      case NAMESPACE_TRUSTED -> "signal (namespace trusted)";
      case UNVERIFIED -> "signal (unverified)";
    };
  }
}
