package io.pgrunbooks.workflows.assessment;

import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Maps findings to the seed's Quick Reference table. Pure and deterministic: the workflow calls it
 * and so do tests, one per row.
 *
 * <pre>
 * Complete DB unavailable      SEV-1  < 15 min   (not accepting; disk at the critical mark; failed volume)
 * Replication lag              SEV-2  < 30 min
 * Connection exhaustion        SEV-2  < 30 min
 * Slow queries                 SEV-3  < 2 hours
 * </pre>
 *
 * Two rows the table implies: a database pod that is not ready while the database still answers is
 * SEV-2 (Scenario 1 before it becomes SEV-1), and a disk past the warning mark is SEV-3 (Scenario 5
 * before "disk full" makes it SEV-1).
 */
public final class SeverityClassifier {
  private SeverityClassifier() {}

  private record Finding(Severity severity, Scenario scenario, String reason) {}

  public static Classification classify(Findings f, AssessmentThresholds t) {
    List<Finding> found = new ArrayList<>();
    boolean diskCritical = f.storage() != null && f.storage().percentUsed() >= t.diskCriticalPercent();

    if (f.readiness() != null && !f.readiness().accepting()) {
      // The cause decides the scenario: a full disk, no slot left for new clients, or a pod down.
      Scenario scenario =
          diskCritical
              ? Scenario.RECLAIM_DISK_SPACE
              : Readiness.TOO_MANY_CONNECTIONS.equals(f.readiness().sqlState())
                  ? Scenario.RELIEVE_CONNECTION_EXHAUSTION
                  : Scenario.RECOVER_CRASHED_POD;
      found.add(
          new Finding(
              Severity.SEV_1,
              scenario,
              "database unavailable: pg_isready says "
                  + f.readiness().state().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                  + " at "
                  + f.readiness().endpoint()
                  + (f.readiness().detail() == null ? "" : " (" + f.readiness().detail() + ")")));
    }
    if (diskCritical) {
      found.add(
          new Finding(
              Severity.SEV_1,
              Scenario.RECLAIM_DISK_SPACE,
              String.format(
                  Locale.ROOT,
                  "disk of %s is %.1f%% full (critical at %.0f%%): PostgreSQL stops when it cannot write WAL",
                  f.storage().path(),
                  f.storage().percentUsed(),
                  t.diskCriticalPercent())));
    }
    if (f.volumes() != null) {
      for (VolumeStatus v : f.volumes()) {
        if ("Failed".equals(v.phase())) {
          found.add(
              new Finding(
                  Severity.SEV_1,
                  Scenario.RECOVER_CRASHED_POD,
                  "persistent volume " + v.name() + " has failed"));
        }
      }
    }
    if (f.pods() != null) {
      for (PodStatus p : f.pods()) {
        if (!p.ready()) {
          found.add(
              new Finding(
                  Severity.SEV_2,
                  Scenario.RECOVER_CRASHED_POD,
                  "database pod "
                      + p.name()
                      + " is not ready ("
                      + (p.reason() == null ? p.phase() : p.reason())
                      + ", "
                      + p.restarts()
                      + " restarts)"));
        }
      }
    }
    if (f.connections() != null) {
      ConnectionUsage c = f.connections();
      String usage =
          String.format(
              Locale.ROOT,
              "%d of max_connections %d in use (%.2f%%)",
              c.clientBackends(),
              c.maxConnections(),
              c.percentUsed());
      if (c.percentUsed() >= t.connectionsCriticalPercent()) {
        found.add(
            new Finding(
                Severity.SEV_2, Scenario.RELIEVE_CONNECTION_EXHAUSTION, "connection exhaustion: " + usage));
      } else if (c.percentUsed() >= t.connectionsWarnPercent()) {
        found.add(new Finding(Severity.NONE, Scenario.NONE, "connections filling up: " + usage));
      }
    }
    if (f.replication() != null) {
      for (ReplicaLag r : f.replication().replicas()) {
        String who = r.applicationName() + "@" + r.clientAddr();
        if (r.replayLagSeconds() != null && r.replayLagSeconds() >= t.replicationLagSeconds()) {
          found.add(
              new Finding(
                  Severity.SEV_2,
                  Scenario.REPAIR_REPLICATION_LAG,
                  String.format(
                      Locale.ROOT,
                      "replica %s replays %.1f s behind (limit %.0f s)",
                      who,
                      r.replayLagSeconds(),
                      t.replicationLagSeconds())));
        } else if (!"streaming".equals(r.state())) {
          found.add(
              new Finding(
                  Severity.SEV_2,
                  Scenario.REPAIR_REPLICATION_LAG,
                  "replica " + who + " is " + r.state() + ", not streaming"));
        }
      }
    }
    if (f.storage() != null && !diskCritical && f.storage().percentUsed() >= t.diskWarnPercent()) {
      found.add(
          new Finding(
              Severity.SEV_3,
              Scenario.RECLAIM_DISK_SPACE,
              String.format(
                  Locale.ROOT,
                  "disk of %s is %.1f%% full (warning at %.0f%%)",
                  f.storage().path(),
                  f.storage().percentUsed(),
                  t.diskWarnPercent())));
    }
    if (f.longRunningQueries() != null && f.longRunningQueries().count() > 0) {
      LongRunningQueries q = f.longRunningQueries();
      found.add(
          new Finding(
              Severity.SEV_3,
              Scenario.RESOLVE_SLOW_QUERIES,
              String.format(
                  Locale.ROOT,
                  "%d statement(s) active for more than %.0f s, the longest %.0f s",
                  q.count(),
                  q.thresholdSeconds(),
                  q.longestSeconds())));
    }
    if (f.applicationLogs() != null) {
      for (LogFinding l : f.applicationLogs()) {
        if (!l.matches().isEmpty()) {
          found.add(
              new Finding(
                  Severity.NONE,
                  Scenario.NONE,
                  "application "
                      + l.deployment()
                      + " logged "
                      + l.matches().size()
                      + " database error line(s) in the last 10 minutes"));
        }
      }
    }

    // Stable sort: most severe first, and within a severity the order above (the table's order).
    found.sort(Comparator.comparingInt(x -> x.severity().ordinal()));
    List<String> reasons = found.stream().map(Finding::reason).toList();
    Finding top = found.isEmpty() ? null : found.get(0);
    if (top == null || top.severity() == Severity.NONE) {
      return new Classification(Severity.NONE, Scenario.NONE, reasons);
    }
    return new Classification(top.severity(), top.scenario(), reasons);
  }
}
