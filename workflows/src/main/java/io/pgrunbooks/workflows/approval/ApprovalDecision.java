package io.pgrunbooks.workflows.approval;

/**
 * What an approve or reject signal carries. The same JSON is sent by the API, the Temporal CLI
 * ({@code temporal workflow signal --name approve --input '{...}'}) and the Web UI's signal button;
 * the last two leave {@code signedAt} and {@code signature} out.
 *
 * @param gateId the gate decided on (a run may open several)
 * @param person who decides (the API fills it from the caller's identity; on other paths it is only
 *     a claim, see {@link DecisionSignature})
 * @param digest the digest of the description the person saw; an approval for another digest is
 *     refused (the plan changed since)
 * @param comment why, in the person's words
 * @param expiresAt RFC 3339; an approval the run receives after this is refused (null: no expiry)
 * @param signedAt RFC 3339, when the API signed the decision (null: unsigned)
 * @param signature the API's HMAC-SHA256 over the run, gate and every field above ({@link
 *     DecisionSignature}), hex; null when the decision did not come through the API
 */
public record ApprovalDecision(
    String gateId, String person, String digest, String comment, String expiresAt, String signedAt, String signature) {

  /** An unsigned decision (as the Temporal CLI or the Web UI send it). */
  public ApprovalDecision(String gateId, String person, String digest, String comment, String expiresAt) {
    this(gateId, person, digest, comment, expiresAt, null, null);
  }

  /** Whether it carries a signature at all (whether it verifies is the run's to find out). */
  public boolean signed() {
    return signature != null && !signature.isBlank();
  }
}
