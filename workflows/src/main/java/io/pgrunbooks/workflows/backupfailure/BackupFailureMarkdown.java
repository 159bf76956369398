package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.approval.GateOutcome;
import java.util.List;

/** Step 8: the run's report in Markdown: what failed, why, what was done, who approved, the new backup. */
final class BackupFailureMarkdown {
  private BackupFailureMarkdown() {}

  static String render(BackupFailureResult r, String workflowId) {
    StringBuilder md = new StringBuilder();
    md.append("# Backup failure on ").append(r.target()).append(": ").append(r.status()).append("\n\n");
    md.append("Run `").append(workflowId).append("`.\n\n");
    md.append("## Alert\n\n");
    BackupAlert a = r.alert();
    if (a == null) {
      md.append("- not read\n");
    } else if (a.problem() != null) {
      md.append("- Prometheus could not answer: ").append(a.problem()).append('\n');
    } else {
      md.append("- errors total: ").append(a.errorsTotal()).append('\n');
      md.append("- last good backup: ").append(a.lastSuccessAt() == null ? "never" : a.lastSuccessAt())
          .append(a.lastSuccessAgeSeconds() == null ? "" : " (" + a.lastSuccessAgeSeconds() / 3600 + " h ago)")
          .append(a.overdue() ? ", older than the " + a.allowedAgeSeconds() / 3600 + " h allowed" : "").append('\n');
    }
    md.append("\n## What failed and why\n\n");
    if (r.classified().isEmpty()) {
      md.append("- no backup errors were found in the recent runs\n");
    }
    for (ClassifiedError c : r.classified()) {
      md.append("- **").append(c.failureClass()).append("** (").append(c.evidence()).append(") ")
          .append(c.error().source()).append(": ").append(oneLine(c.error().message())).append('\n');
    }
    if (r.alertNotices() != null && !r.alertNotices().isEmpty()) {
      md.append("\n## Alert notifications\n\n").append(io.pgrunbooks.workflows.alerts.AlertNotices.markdown(r.alertNotices()));
    }
    md.append("\nClasses: ").append(r.classes()).append("\n\n## Checks\n\n");
    if (r.readiness() != null) {
      md.append("- readiness: ").append(r.readiness().state()).append(" at ").append(r.readiness().endpoint()).append('\n');
    }
    if (r.disk() != null) {
      md.append("- disk: ").append(String.format(java.util.Locale.ROOT, "%.1f", r.disk().percentUsed()))
          .append("% used at ").append(r.disk().path()).append('\n');
    }
    if (r.connectivity() != null) {
      md.append("- connectivity: ").append(r.connectivity().describe()).append('\n');
    }
    if (r.role() != null) {
      md.append("- backup role: ").append(r.role().describe()).append('\n');
    }
    if (r.key() != null) {
      md.append("- encryption key: ").append(r.key().describe()).append('\n');
    }
    if (r.store() != null) {
      md.append("- object store: ").append(r.store().describe()).append('\n');
    }
    section(md, "Decisions", r.decisions().stream().map(BackupFailureMarkdown::decision).toList());
    section(md, "What was done", r.actions());
    section(md, "Re-checks", r.checks());
    section(md, "Findings", r.findings());
    md.append("## New backup\n\n");
    md.append(r.backupMetadataKey() == null ? "- none made\n"
        : "- " + r.backupMetadataKey() + " (run " + r.backupChildId() + "), " + (r.verified() ? "verified" : "NOT verified") + "\n");
    if (r.escalatedAt() != null) {
      md.append("\nEscalated at ").append(r.escalatedAt()).append(": no verified backup in time.\n");
    }
    if (r.reason() != null) {
      md.append("\n").append(r.reason()).append('\n');
    }
    return md.toString();
  }

  private static String decision(GateOutcome o) {
    return o.gateId() + ": " + (o.approved() ? "approved" : "not approved") + " by " + o.decidedBy() + " at " + o.decidedAt()
        + (o.comment() == null ? "" : " (" + oneLine(o.comment()) + ")");
  }

  private static void section(StringBuilder md, String title, List<String> lines) {
    md.append("\n## ").append(title).append("\n\n");
    if (lines.isEmpty()) {
      md.append("- none\n");
    }
    lines.forEach(l -> md.append("- ").append(oneLine(l)).append('\n'));
    md.append('\n');
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').strip();
  }
}
