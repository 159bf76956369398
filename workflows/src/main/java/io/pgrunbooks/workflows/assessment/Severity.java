package io.pgrunbooks.workflows.assessment;

/** Severities of the seed's Quick Reference table, with their response times. */
public enum Severity {
  /** Complete database unavailable (pod failure, disk full, corruption): respond within 15 min. */
  SEV_1("SEV-1", "< 15 min"),
  /** Replication lag or connection exhaustion: respond within 30 min. */
  SEV_2("SEV-2", "< 30 min"),
  /** Slow queries (and disks filling up): respond within 2 hours. */
  SEV_3("SEV-3", "< 2 hours"),
  /** Nothing found that needs a response. */
  NONE("none", "none");

  private final String label;
  private final String responseTime;

  Severity(String label, String responseTime) {
    this.label = label;
    this.responseTime = responseTime;
  }

  /** The label people use, e.g. "SEV-1". */
  public String label() {
    return label;
  }

  /** The response time the Quick Reference table gives. */
  public String responseTime() {
    return responseTime;
  }
}
