package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.assessment.CheckOutcome;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.CheckStatus;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns each section's result into a checklist line and findings a person can act on, e.g. "pid
 * 123 (app x) blocked for 40 s by pid 456 (app y, idle in transaction): ...". Deterministic: runs in
 * workflow code.
 */
final class DiagnosisJudge {
  /** Tables read sequentially for at least this many rows are worth a finding. */
  static final long SEQ_ROWS_WORTH_A_FINDING = 100_000;

  /** Statements are quoted up to this many characters in findings. */
  static final int QUERY_EXCERPT = 160;

  private final double lagSeconds;

  /** @param lagSeconds replay lag from which a replica is reported as behind (the target's threshold) */
  DiagnosisJudge(double lagSeconds) {
    this.lagSeconds = lagSeconds;
  }

  /** A finding and how serious it is. */
  record Finding(CheckStatus level, String text) {}

  /** How one section reads: its line's status and summary, and its findings. */
  record Verdict(CheckStatus status, String summary, List<Finding> findings) {}

  /** A section's judgement. */
  @FunctionalInterface
  interface Judgement<T> {
    Verdict judge(T value);
  }

  /** The checklist being written and the findings gathered. */
  static final class Checklist {
    private final List<CheckReport> lines = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    <T> void add(String check, CheckOutcome<T> outcome, Judgement<T> judgement) {
      if (outcome.present()) {
        Verdict v = judgement.judge(outcome.value());
        lines.add(new CheckReport(check, v.status(), v.summary()));
        findings.addAll(v.findings());
        return;
      }
      lines.add(new CheckReport(check, outcome.failureStatus(), outcome.failureSummary()));
      if (outcome.failureStatus() == CheckStatus.FAILED || outcome.failureStatus() == CheckStatus.TIMED_OUT) {
        findings.add(new Finding(CheckStatus.WARNING, check + " could not be checked: " + outcome.failureSummary()));
      }
    }

    List<CheckReport> lines() {
      return List.copyOf(lines);
    }

    /** Critical first, then warnings, then the rest; otherwise in the seed's order. */
    List<String> findings() {
      return findings.stream()
          .sorted(Comparator.comparingInt(f -> rank(f.level())))
          .map(Finding::text)
          .toList();
    }

    private static int rank(CheckStatus level) {
      return switch (level) {
        case CRITICAL -> 0;
        case WARNING -> 1;
        default -> 2;
      };
    }
  }

  Verdict pods(List<PodDetails> pods) {
    List<Finding> findings = new ArrayList<>();
    if (pods.isEmpty()) {
      findings.add(new Finding(CheckStatus.CRITICAL, "no database pod found"));
      return new Verdict(CheckStatus.CRITICAL, "no database pod found", findings);
    }
    int notReady = 0;
    int restarts = 0;
    for (PodDetails pod : pods) {
      boolean ready = "Running".equals(pod.phase()) && !pod.containers().isEmpty()
          && pod.containers().stream().allMatch(ContainerDetails::ready);
      if (!ready) {
        notReady++;
        List<String> why = new ArrayList<>(pod.conditions().stream().filter(c -> c.contains("=False")).toList());
        pod.containers().stream()
            .filter(c -> c.stateReason() != null)
            .forEach(c -> why.add(c.name() + " " + c.state() + " (" + c.stateReason() + ")"));
        findings.add(new Finding(CheckStatus.CRITICAL,
            "pod " + pod.name() + " is " + pod.phase() + " and not ready" + (why.isEmpty() ? "" : ": " + String.join(", ", why))));
      }
      for (ContainerDetails c : pod.containers()) {
        restarts += c.restartCount();
        if (c.restartCount() > 0) {
          findings.add(new Finding(CheckStatus.WARNING, String.format(Locale.ROOT,
              "container %s of pod %s restarted %d time(s)%s", c.name(), pod.name(), c.restartCount(),
              c.lastTerminationReason() == null ? "" : ", last ended " + c.lastTerminationReason()
                  + " (exit code " + c.lastTerminationExitCode() + ") at " + c.lastTerminationFinishedAt())));
        }
      }
    }
    return new Verdict(
        notReady > 0 ? CheckStatus.CRITICAL : restarts > 0 ? CheckStatus.WARNING : CheckStatus.OK,
        String.format(Locale.ROOT, "%d pod(s), %d not ready, %d container restart(s)", pods.size(), notReady, restarts),
        findings);
  }

  Verdict events(List<PodEvent> events) {
    List<PodEvent> warnings = events.stream().filter(e -> "Warning".equals(e.type())).toList();
    List<Finding> findings = warnings.stream()
        .limit(5)
        .map(e -> new Finding(CheckStatus.WARNING, String.format(Locale.ROOT, "event %s on %s (%d time(s), last %s): %s",
            e.reason(), e.object(), e.count(), e.lastSeen(), e.message())))
        .toList();
    return new Verdict(warnings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING,
        events.size() + " recent event(s) about the database pods, " + warnings.size() + " warning(s)", findings);
  }

  Verdict log(LogScan scan) {
    String where = scan.log() == null || scan.log().complete() ? "" : "; " + scan.log().note();
    String summary = String.format(Locale.ROOT, "%s: %d of %d line(s) read match ERROR|FATAL|PANIC%s",
        scan.source(), scan.matchCount(), scan.linesRead(), where);
    if (scan.matchCount() == 0) {
      return new Verdict(CheckStatus.OK, summary, List.of());
    }
    boolean panic = scan.matches().stream().anyMatch(l -> l.contains("PANIC"));
    CheckStatus level = panic ? CheckStatus.CRITICAL : CheckStatus.WARNING;
    String newest = scan.matches().get(scan.matches().size() - 1);
    return new Verdict(level, summary, List.of(new Finding(level,
        scan.matchCount() + " ERROR/FATAL/PANIC line(s) in " + scan.source() + "; newest: " + newest)));
  }

  Verdict resources(List<ContainerResources> containers) {
    List<Finding> findings = containers.stream()
        .filter(c -> c.requests().isEmpty() && c.limits().isEmpty())
        .map(c -> new Finding(CheckStatus.WARNING, "container " + c.container() + " of pod " + c.pod()
            + " has no resource requests or limits (BestEffort: the first evicted under memory pressure)"))
        .toList();
    String each = String.join("; ", containers.stream()
        .map(c -> c.pod() + "/" + c.container() + " requests " + c.requests() + " limits " + c.limits())
        .toList());
    return new Verdict(findings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING,
        containers.size() + " container(s)" + (each.isEmpty() ? "" : ": " + each), findings);
  }

  Verdict serverStatus(ServerStatus status) {
    String said = status.output() == null ? "" : status.output().strip().lines().findFirst().orElse("");
    if (status.running()) {
      return new Verdict(CheckStatus.OK, said, List.of());
    }
    return new Verdict(CheckStatus.CRITICAL, "pg_ctl status exit code " + status.exitCode() + ": " + said,
        List.of(new Finding(CheckStatus.CRITICAL, "the server is not running: pg_ctl status says " + said)));
  }

  Verdict connections(List<ConnectionGroup> groups) {
    int total = groups.stream().mapToInt(ConnectionGroup::connections).sum();
    List<Finding> findings = groups.stream()
        .filter(g -> g.state() != null && g.state().startsWith("idle in transaction"))
        .map(g -> new Finding(CheckStatus.WARNING, String.format(Locale.ROOT,
            "%d session(s) %s from %s as %s in %s: they hold locks and snapshots while doing nothing",
            g.connections(), g.state(), from(g.clientAddr()), g.user(), g.database())))
        .toList();
    String largest = groups.isEmpty() ? "" : String.format(Locale.ROOT, "; largest: %d %s from %s as %s in %s",
        groups.get(0).connections(), groups.get(0).state(), from(groups.get(0).clientAddr()), groups.get(0).user(),
        groups.get(0).database());
    return new Verdict(findings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING,
        total + " session(s) in " + groups.size() + " group(s)" + largest, findings);
  }

  Verdict locks(List<BlockedSession> blocked) {
    if (blocked.isEmpty()) {
      return new Verdict(CheckStatus.OK, "no session waits for a lock", List.of());
    }
    List<Finding> findings = blocked.stream()
        .map(b -> new Finding(CheckStatus.WARNING, String.format(Locale.ROOT,
            "pid %d (%s) blocked for %.0f s by pid %d (%s, %s): it waits to run %s; the blocker's statement: %s",
            b.blockedPid(), app(b.blockedApplication()), b.waitingSeconds(), b.blockingPid(),
            app(b.blockingApplication()), b.blockingState(), excerpt(b.blockedQuery()), excerpt(b.blockingQuery()))))
        .toList();
    long blockers = blocked.stream().mapToInt(BlockedSession::blockingPid).distinct().count();
    long waiting = blocked.stream().mapToInt(BlockedSession::blockedPid).distinct().count();
    return new Verdict(CheckStatus.WARNING,
        waiting + " session(s) blocked by " + blockers + " other(s)", findings);
  }

  Verdict replication(List<ReplicaLag> replicas) {
    if (replicas.isEmpty()) {
      return new Verdict(CheckStatus.OK, "no replica connected (none configured, or this server is a standby)", List.of());
    }
    List<Finding> findings = new ArrayList<>();
    List<String> each = new ArrayList<>();
    for (ReplicaLag r : replicas) {
      String name = from(r.clientAddr()) + (r.applicationName() == null || r.applicationName().isEmpty() ? "" : " (" + r.applicationName() + ")");
      if (!"streaming".equals(r.state())) {
        findings.add(new Finding(CheckStatus.CRITICAL, "replica " + name + " is not streaming: its state is " + r.state()));
      } else if (r.replayLagSeconds() != null && r.replayLagSeconds() >= lagSeconds) {
        findings.add(new Finding(CheckStatus.WARNING, String.format(Locale.ROOT,
            "replica %s replays %.1f s behind (threshold %.0f s)", name, r.replayLagSeconds(), lagSeconds)));
      }
      // NULL lags are what an idle primary reports: nothing was replayed lately, so nothing measured.
      each.add(name + " " + r.state() + "/" + r.syncState() + (r.replayLagSeconds() == null && r.writeLagSeconds() == null
          ? ", no lag measured"
          : String.format(Locale.ROOT, ", lag write %s flush %s replay %s",
              seconds(r.writeLagSeconds()), seconds(r.flushLagSeconds()), seconds(r.replayLagSeconds()))));
    }
    boolean critical = findings.stream().anyMatch(f -> f.level() == CheckStatus.CRITICAL);
    return new Verdict(critical ? CheckStatus.CRITICAL : findings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING,
        replicas.size() + " replica(s): " + String.join("; ", each), findings);
  }

  Verdict statements(StatementStatistics s) {
    List<Finding> findings = new ArrayList<>();
    if (!s.preloaded()) {
      findings.add(new Finding(CheckStatus.WARNING,
          "pg_stat_statements is not in shared_preload_libraries: add it, restart the server, then CREATE EXTENSION "
              + "pg_stat_statements" + (s.missingIn().isEmpty() ? "" : " in " + String.join(", ", s.missingIn()))
              + "; until then no statement statistics are collected"));
    } else if (!s.missingIn().isEmpty()) {
      findings.add(new Finding(CheckStatus.WARNING, "pg_stat_statements is not installed in "
          + String.join(", ", s.missingIn()) + ": it is preloaded, so CREATE EXTENSION pg_stat_statements there"
          + (s.installedIn().isEmpty() ? " to read its statistics" : " (statistics read through " + s.installedIn().get(0) + ")")));
    }
    if (!s.slowest().isEmpty()) {
      SlowStatement top = s.slowest().get(0);
      findings.add(new Finding(CheckStatus.OK, String.format(Locale.ROOT,
          "slowest statement by mean time: %.1f ms over %d call(s) in %s as %s: %s",
          top.meanExecMillis(), top.calls(), top.database(), top.user(), excerpt(top.query()))));
    }
    String summary = s.slowest().isEmpty()
        ? (s.preloaded() && !s.installedIn().isEmpty() ? "no statement recorded yet" : "no statement statistics: pg_stat_statements "
            + (s.preloaded() ? "is not installed" : "is not preloaded"))
        : String.format(Locale.ROOT, "%d slowest statement(s), the slowest %.1f ms mean", s.slowest().size(),
            s.slowest().get(0).meanExecMillis());
    boolean missing = !s.preloaded() || !s.missingIn().isEmpty();
    return new Verdict(missing ? CheckStatus.WARNING : CheckStatus.OK, summary, findings);
  }

  Verdict sizes(List<DatabaseSize> sizes) {
    long total = sizes.stream().mapToLong(DatabaseSize::bytes).sum();
    String largest = sizes.isEmpty() ? "" : "; largest " + sizes.get(0).database() + " (" + sizes.get(0).pretty() + ")";
    return new Verdict(CheckStatus.OK, String.format(Locale.ROOT, "%d database(s), %d bytes in all%s",
        sizes.size(), total, largest), List.of());
  }

  Verdict tables(List<TableStatistics> tables) {
    List<Finding> findings = tables.stream()
        .filter(t -> t.seqTuplesRead() >= SEQ_ROWS_WORTH_A_FINDING
            && Objects.requireNonNullElse(t.indexScans(), 0L) < t.seqScans())
        .map(t -> new Finding(CheckStatus.WARNING, String.format(Locale.ROOT,
            "table %s.%s in %s: %d sequential scan(s) read %d rows, %s: a missing index?",
            t.schema(), t.table(), t.database(), t.seqScans(), t.seqTuplesRead(),
            t.indexScans() == null ? "it has no index" : t.indexScans() + " index scan(s)")))
        .toList();
    long databases = tables.stream().map(TableStatistics::database).distinct().count();
    return new Verdict(findings.isEmpty() ? CheckStatus.OK : CheckStatus.WARNING,
        tables.size() + " table(s) of " + databases + " database(s)", findings);
  }

  private static String from(String clientAddr) {
    return clientAddr == null ? "local socket" : clientAddr;
  }

  private static String app(String application) {
    return application == null || application.isEmpty() ? "no application_name" : "app " + application;
  }

  private static String seconds(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f s", value);
  }

  /** A statement on one line, cut for a sentence. */
  static String excerpt(String query) {
    if (query == null) {
      return "(none)";
    }
    String line = query.strip().replaceAll("\\s+", " ");
    return line.length() > QUERY_EXCERPT ? line.substring(0, QUERY_EXCERPT) + "…" : line;
  }
}
