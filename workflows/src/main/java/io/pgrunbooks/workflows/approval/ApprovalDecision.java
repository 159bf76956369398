package io.pgrunbooks.workflows.approval;

/**
 * What an approve or reject signal carries.
 *
 * @param gateId the gate decided on (a run may open several)
 * @param person who decides (the API fills it from the caller's identity)
 * @param digest the digest of the description the person saw; an approval for another digest is
 *     refused (the plan changed since)
 * @param comment why, in the person's words
 * @param expiresAt RFC 3339; an approval the run receives after this is refused (null: no expiry)
 */
public record ApprovalDecision(String gateId, String person, String digest, String comment, String expiresAt) {}
