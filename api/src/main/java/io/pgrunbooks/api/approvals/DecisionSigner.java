package io.pgrunbooks.api.approvals;

import io.pgrunbooks.api.errors.Unavailable;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.DecisionSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Signs each decision the API sends, so that the run can tell it from a signal that only names
 * someone ({@link DecisionSignature}). The key comes from {@code pgrunbooks.approvals.signing-key-ref}
 * ({@code env:NAME} or {@code file:/path}: on Kubernetes, mount the Secret as either), read on each
 * decision so a rotated key is used at once; a reference that resolves to nothing stops the API at
 * start rather than at the first approval. Unset: decisions go unsigned (a warning says so at
 * start), and approvals count only where the workers trust the namespace.
 */
@Component
class DecisionSigner {
  private static final Logger log = LoggerFactory.getLogger(DecisionSigner.class);

  private final String keyRef;
  private final Clock clock = Clock.systemUTC();

  DecisionSigner(@Value("${pgrunbooks.approvals.signing-key-ref:}") String keyRef) {
    this.keyRef = keyRef == null || keyRef.isBlank() ? null : keyRef.trim();
    if (this.keyRef == null) {
      log.warn("pgrunbooks.approvals.signing-key-ref is not set: decisions are sent unsigned, and workers that do not"
          + " trust the Temporal namespace refuse approvals made through this API");
    } else {
      key(); // fail at start on a reference that names nothing
    }
  }

  /** {@code d} signed for the run and this opening of the gate (unsigned when no key is configured). */
  ApprovalDecision sign(String workflowId, String gateOpenedAt, String verb, ApprovalDecision d) {
    if (keyRef == null) {
      return d;
    }
    ApprovalDecision stamped =
        new ApprovalDecision(d.gateId(), d.person(), d.digest(), d.comment(), d.expiresAt(), clock.instant().toString(), null);
    byte[] key;
    try {
      key = key();
    } catch (IllegalStateException e) {
      throw new Unavailable(e.getMessage() + "; nothing was sent to the run");
    }
    String signature = DecisionSignature.sign(key, workflowId, gateOpenedAt, verb, stamped);
    return new ApprovalDecision(
        d.gateId(), d.person(), d.digest(), d.comment(), d.expiresAt(), stamped.signedAt(), signature);
  }

  private byte[] key() {
    String secret;
    if (keyRef.startsWith("env:")) {
      secret = System.getenv(keyRef.substring(4));
      if (secret == null) {
        throw bad("environment variable " + keyRef.substring(4) + " is not set");
      }
    } else if (keyRef.startsWith("file:")) {
      try {
        secret = Files.readString(Path.of(keyRef.substring(5)), StandardCharsets.UTF_8).stripTrailing();
      } catch (IOException e) {
        throw bad("cannot read " + keyRef.substring(5) + ": " + e.getClass().getSimpleName());
      }
    } else {
      throw bad("the API reads env:NAME or file:/path (mount a Kubernetes Secret as one of them)");
    }
    try {
      return DecisionSignature.key(secret);
    } catch (IllegalArgumentException tooShort) {
      throw bad(tooShort.getMessage());
    }
  }

  private IllegalStateException bad(String why) {
    return new IllegalStateException("pgrunbooks.approvals.signing-key-ref '" + keyRef + "' cannot be used: " + why);
  }
}
