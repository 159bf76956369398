package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.approval.GateOutcome;
import java.util.List;

/** The seed's incident template as Markdown, every field from the report (deterministic: workflow code). */
final class IncidentMarkdown {
  private IncidentMarkdown() {}

  static String of(IncidentReport r) {
    StringBuilder md = new StringBuilder();
    md.append("## Database Incident Summary\n");
    field(md, "Target", r.target());
    field(md, "Incident Start", r.incidentStart());
    field(md, "Detection Method", r.detection());
    field(md, "Severity", r.severity() + " (respond " + r.responseTime() + ")");
    field(md, "Root Cause", r.rootCause().isEmpty() ? "not found" : String.join("; ", r.rootCause()));
    field(md, "Resolution", r.actions().isEmpty() ? "no change made (" + r.outcome() + ")" : String.join("; ", r.actions()));
    field(md, "Resolution Time", r.resolved() ? r.resolutionTime() + " (validated at " + r.resolvedAt() + ")"
        : "not resolved: " + (r.validationProblems().isEmpty() ? r.outcome() : String.join("; ", r.validationProblems())));
    field(md, "Data Loss", r.dataLoss());
    if (r.alertNotices() != null && !r.alertNotices().isEmpty()) {
      md.append("\n### Alert notifications\n").append(io.pgrunbooks.workflows.alerts.AlertNotices.markdown(r.alertNotices()));
    }
    md.append("\n## Technical Details\n");
    field(md, "Affected Databases", list(r.affectedDatabases()));
    field(md, "Error Messages", r.errorMessages().isEmpty() ? "none seen" : "");
    r.errorMessages().forEach(e -> md.append("  - `").append(e.replace("`", "'")).append("`\n"));
    field(md, "Recovery Method", r.recoveryMethod());
    field(md, "Scenario", r.scenario() + ", chosen by " + r.scenarioChosenBy() + "; outcome " + r.outcome());
    md.append("\n### Approvals\n");
    if (r.approvals().isEmpty()) {
      md.append("No gate was opened.\n");
    } else {
      md.append("| gate | decision | by | at | comment |\n|---|---|---|---|---|\n");
      for (GateOutcome g : r.approvals()) {
        md.append("| ").append(g.gateId()).append(" | ").append(g.approved() ? "approved" : "rejected").append(" | ")
            .append(g.decidedBy()).append(" | ").append(g.decidedAt()).append(" | ")
            .append(g.comment() == null ? "" : g.comment().replace("|", "/")).append(" |\n");
      }
    }
    md.append("\n## Impact Assessment\n");
    field(md, "Services Affected", list(r.affectedServices()));
    field(md, "Duration", r.resolved() ? r.resolutionTime() : "ongoing at the report's time");
    md.append("\n## Follow-up Actions\n");
    r.followUps().forEach(f -> md.append("- [ ] ").append(f).append('\n'));
    md.append("\n## Runs\n");
    r.children().forEach((role, id) -> md.append("- ").append(role).append(": `").append(id).append("`\n"));
    return md.toString();
  }

  private static void field(StringBuilder md, String name, String value) {
    md.append("- **").append(name).append("**: ").append(value).append('\n');
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? "none configured" : String.join(", ", values);
  }
}
