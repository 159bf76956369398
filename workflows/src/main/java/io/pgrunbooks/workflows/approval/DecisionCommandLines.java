package io.pgrunbooks.workflows.approval;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The exact command lines that approve or reject a gate, ready to paste, so that nobody composes
 * them under stress: through the API ({@code curl}), which takes the person from the caller's
 * token, and straight to the run with the Temporal CLI ({@code temporal workflow signal}), whose
 * signal names the person by hand and meets only the run's own checks. The run's current details
 * (workflow code: no configuration, so the API's address is the placeholder {@link #API}) and the
 * API's run status (its own address) both write them here. Pure functions: safe in workflow code.
 */
public final class DecisionCommandLines {
  /** The API's base URL where the run cannot know it: a shell variable the person sets. */
  public static final String API = "$PGRUNBOOKS_API";

  /** Where the comment goes, for the person to replace. */
  public static final String APPROVE_COMMENT = "<why it is safe now>";

  public static final String REJECT_COMMENT = "<why not>";

  private DecisionCommandLines() {}

  /** The signal's name: the {@link ApprovalSignals} method. */
  public static String signalName(boolean approve) {
    return approve ? "approve" : "reject";
  }

  /**
   * {@code curl -X POST .../api/approvals/<workflowId>} with the body the API takes (gateId,
   * decision, digest, comment) and the caller's token from {@code $PGRUNBOOKS_TOKEN}. {@code
   * apiBase} is a URL, or a shell variable such as {@link #API} (left for the shell to expand).
   */
  public static String curl(String apiBase, String workflowId, String gateId, String digest, boolean approve) {
    String body =
        "{\"gateId\":" + json(gateId) + ",\"decision\":\"" + signalName(approve) + "\",\"digest\":" + json(digest)
            + ",\"comment\":\"" + comment(approve) + "\"}";
    String path = "/api/approvals/" + encodePath(workflowId);
    String url = apiBase.startsWith("$") ? "\"" + apiBase + "\"" + shell(path) : shell(apiBase + path);
    return "curl -X POST -H \"Authorization: Bearer $PGRUNBOOKS_TOKEN\" -H 'Content-Type: application/json' -d "
        + shell(body) + " " + url;
  }

  /**
   * {@code temporal workflow signal} with the {@link ApprovalDecision} as its JSON input. {@code
   * address} null leaves the CLI's own ({@code --address} or {@code $TEMPORAL_ADDRESS}).
   */
  public static String temporal(
      String address, String namespace, String workflowId, String gateId, String digest, boolean approve) {
    String signal =
        "{\"gateId\":" + json(gateId) + ",\"person\":\"<your name>\",\"digest\":" + json(digest)
            + ",\"comment\":\"" + comment(approve) + "\",\"expiresAt\":null}";
    return "temporal workflow signal" + (address == null ? "" : " --address " + shell(address))
        + " --namespace " + shell(namespace) + " --workflow-id " + shell(workflowId)
        + " --name " + signalName(approve) + " --input " + shell(signal);
  }

  private static String comment(boolean approve) {
    return approve ? APPROVE_COMMENT : REJECT_COMMENT;
  }

  /** A JSON string literal. */
  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** One shell word, whatever it contains. */
  static String shell(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, keeping '/' (the API takes the rest of the path). */
  static String encodePath(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }
}
