package io.pgrunbooks.workflows.alerts;

import java.util.List;

/** The notices of a run in a report (deterministic: workflow code). */
public final class AlertNotices {
  private AlertNotices() {}

  /** A Markdown list of the notices, or a line saying there were none. */
  public static String markdown(List<AlertNotice> notices) {
    if (notices == null || notices.isEmpty()) {
      return "- no alert notification was received\n";
    }
    StringBuilder md = new StringBuilder();
    for (AlertNotice n : notices) {
      md.append("- ").append(n.describe().replace("\n", " "))
          .append(n.summary() == null ? "" : ": " + n.summary().replace("\n", " ")).append('\n');
    }
    return md.toString();
  }
}
