package io.pgrunbooks.activities.approval;

import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.workflows.approval.ApprovalVerificationActivities;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.DecisionCheck;
import io.pgrunbooks.workflows.approval.DecisionSignature;
import io.pgrunbooks.workflows.approval.DecisionVerdict;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Verifies the person in a decision with the API's signing key, resolved on each call from {@code
 * pgrunbooks.approvals.signing-key-ref} ({@code env:NAME}, {@code file:/path}, {@code
 * k8s:namespace/secret/key}; the API must resolve the same secret), so a rotated key is used at
 * once and the key never leaves this activity. {@code pgrunbooks.approvals.trust-namespace=true}
 * believes unsigned decisions too: only for namespaces whose signal permission is itself limited to
 * approvers (Temporal authorization, mTLS per person, Cloud permissions), since then who may signal
 * is already who may approve.
 */
@Component
public class ApprovalVerificationActivitiesImpl implements ApprovalVerificationActivities {
  private static final Logger log = LoggerFactory.getLogger(ApprovalVerificationActivitiesImpl.class);

  private final SecretResolver secrets;
  private final String keyRef;
  private final boolean trustNamespace;

  public ApprovalVerificationActivitiesImpl(
      SecretResolver secrets,
      @Value("${pgrunbooks.approvals.signing-key-ref:}") String keyRef,
      @Value("${pgrunbooks.approvals.trust-namespace:false}") boolean trustNamespace) {
    this.secrets = secrets;
    this.keyRef = keyRef;
    this.trustNamespace = trustNamespace;
    if (keyRef == null || keyRef.isBlank()) {
      log.warn("pgrunbooks.approvals.signing-key-ref is not set: approvals sent through the API cannot be verified"
          + (trustNamespace ? "; unsigned approvals are trusted (trust-namespace)" : " and will be refused"));
    }
  }

  @Override
  public DecisionVerdict verifyApprovalDecision(DecisionCheck check) {
    byte[] key = null;
    if (keyRef != null && !keyRef.isBlank() && check.decision().signed()) {
      String secret = secrets.resolve(keyRef);
      try {
        key = DecisionSignature.key(secret);
      } catch (IllegalArgumentException tooShort) {
        throw ApplicationFailure.newNonRetryableFailure(
            "pgrunbooks.approvals.signing-key-ref '" + keyRef + "': " + tooShort.getMessage(), "BadSigningKey");
      }
    }
    DecisionVerdict verdict = new ApprovalVerifier(key, trustNamespace).verifyApprovalDecision(check);
    log.info("{} of gate {} in {} by {}: {} ({})", check.verb(), check.decision().gateId(), check.workflowId(),
        check.decision().person(), verdict.trust(), verdict.reason());
    return verdict;
  }
}
