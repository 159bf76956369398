package io.pgrunbooks.api.approvals;

import io.pgrunbooks.api.errors.BadRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Body of {@code POST /api/approvals/{workflowId}}, read from a map so that every unknown field,
 * above all one naming a person, is refused rather than silently ignored.
 *
 * @param gateId the gate, from the run's status or {@code GET /api/approvals/{workflowId}}
 * @param approve true for {@code "decision": "approve"}, false for {@code "reject"}
 * @param digest the digest of the description the person read; required to approve
 * @param comment why; required to reject, since the rejection is the run's reason to stop
 * @param expiresInSeconds approvals only: the run refuses this approval if it reaches the gate later
 */
public record DecisionRequest(
    String gateId, boolean approve, String digest, String comment, Integer expiresInSeconds) {
  static final List<String> FIELDS = List.of("gateId", "decision", "digest", "comment", "expiresInSeconds");
  private static final Set<String> PERSON_FIELDS =
      Set.of("person", "approver", "approvedby", "rejectedby", "decidedby", "user", "username", "by");
  private static final int MAX_EXPIRY_SECONDS = 7 * 24 * 3600;
  static final int MAX_COMMENT = 2000;

  static DecisionRequest from(Map<String, Object> body) {
    for (String key : body.keySet()) {
      if (PERSON_FIELDS.contains(key.toLowerCase(Locale.ROOT))) {
        throw new BadRequest("'" + key + "' is not accepted: the person deciding is the one your token names");
      }
      if (!FIELDS.contains(key)) {
        throw new BadRequest("unknown field '" + key + "'; the fields are " + FIELDS);
      }
    }
    String gateId = text(body, "gateId", "'gateId' is required: the gate's id from the run's status");
    String decision = text(body, "decision", "'decision' is required: 'approve' or 'reject'");
    boolean approve =
        switch (decision.toLowerCase(Locale.ROOT)) {
          case "approve" -> true;
          case "reject" -> false;
          default -> throw new BadRequest("'decision' must be 'approve' or 'reject', not '" + decision + "'");
        };
    String digest =
        text(body, "digest", approve ? "'digest' is required to approve: the digest of the description you read" : null);
    String comment = text(body, "comment", approve ? null : "'comment' is required to reject: say why");
    if (comment != null && comment.length() > MAX_COMMENT) {
      throw new BadRequest("'comment' is longer than " + MAX_COMMENT + " characters");
    }
    return new DecisionRequest(gateId, approve, digest, comment, expiry(body.get("expiresInSeconds"), approve));
  }

  /** A non-blank string, or null when absent and optional ({@code missing} null). */
  private static String text(Map<String, Object> body, String field, String missing) {
    Object value = body.get(field);
    if (value == null || (value instanceof String s && s.isBlank())) {
      if (missing != null) {
        throw new BadRequest(missing);
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new BadRequest("'" + field + "' must be a string");
    }
    return s.trim();
  }

  private static Integer expiry(Object value, boolean approve) {
    if (value == null) {
      return null;
    }
    if (!approve) {
      throw new BadRequest("'expiresInSeconds' applies to approvals only: a rejection does not expire");
    }
    if (!(value instanceof Integer seconds) || seconds < 1 || seconds > MAX_EXPIRY_SECONDS) {
      throw new BadRequest("'expiresInSeconds' must be a whole number from 1 to " + MAX_EXPIRY_SECONDS);
    }
    return seconds;
  }
}
