package io.pgrunbooks.workflows.approval;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the API vouches for the person in a decision: HMAC-SHA256, keyed with the secret both the API
 * and the worker resolve from {@code pgrunbooks.approvals.signing-key-ref}, over the run's id, the
 * gate's id and opening time, the decision (approve or reject), the person, the digest, the
 * comment, the expiry and the signing time. A signal that names someone else, or changes any of
 * these, does not verify; a signed decision copied to another run or to a later opening of the same
 * gate does not either. The key never enters workflow code or history: the API signs, and the run
 * has an activity verify ({@link ApprovalVerificationActivities}).
 *
 * <p>Pure functions only (no I/O): used by the API and by the verifying activity.
 */
public final class DecisionSignature {
  /** Signatures made with another scheme do not verify with this one. */
  static final String SCHEME = "pgrunbooks-decision-v1";

  private DecisionSignature() {}

  /** The bytes that are signed: each field on its own line, absent fields empty, newlines escaped. */
  public static String canonical(String workflowId, String gateOpenedAt, String verb, ApprovalDecision d) {
    List<String> fields =
        List.of(
            SCHEME, nz(workflowId), nz(d.gateId()), nz(gateOpenedAt), nz(verb), nz(d.person()), nz(d.digest()),
            nz(d.comment()), nz(d.expiresAt()), nz(d.signedAt()));
    StringBuilder s = new StringBuilder();
    for (String f : fields) {
      s.append(f.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    }
    return s.toString();
  }

  /** The signature of {@code d} (its own signature field is ignored), hex. */
  public static String sign(byte[] key, String workflowId, String gateOpenedAt, String verb, ApprovalDecision d) {
    return HexFormat.of().formatHex(mac(key, canonical(workflowId, gateOpenedAt, verb, d)));
  }

  /** Whether {@code d}'s signature is the one {@code key} makes; compared in constant time. */
  public static boolean verifies(byte[] key, String workflowId, String gateOpenedAt, String verb, ApprovalDecision d) {
    if (!d.signed()) {
      return false;
    }
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(d.signature().trim());
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    return MessageDigest.isEqual(mac(key, canonical(workflowId, gateOpenedAt, verb, d)), presented);
  }

  /** A key from its secret's text: UTF-8 bytes; at least 32 of them. */
  public static byte[] key(String secret) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      throw new IllegalArgumentException("the approval signing key must be at least 32 bytes long, this one has " + key.length);
    }
    return key;
  }

  private static byte[] mac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
