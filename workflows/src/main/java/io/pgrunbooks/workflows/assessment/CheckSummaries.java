package io.pgrunbooks.workflows.assessment;

import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import java.util.List;
import java.util.Locale;

/** One checklist line per finding: its status and a sentence for a person. */
final class CheckSummaries {
  private CheckSummaries() {}

  private static CheckReport line(CheckStatus status, String format, Object... args) {
    return new CheckReport(null, status, String.format(Locale.ROOT, format, args));
  }

  static CheckReport readiness(Readiness r) {
    if (r.accepting()) {
      return line(CheckStatus.OK, "%s accepting connections (%d ms)", r.endpoint(), r.responseMillis());
    }
    return line(
        CheckStatus.CRITICAL,
        "%s %s: %s",
        r.endpoint(),
        r.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        r.detail());
  }

  static CheckReport server(ServerIdentity s) {
    return line(
        CheckStatus.OK,
        "%s; server time %s%s",
        s.version(),
        s.serverTime(),
        s.inRecovery() ? "; in recovery (standby)" : "");
  }

  static CheckReport connections(ConnectionUsage c, AssessmentThresholds t) {
    CheckStatus status =
        c.percentUsed() >= t.connectionsCriticalPercent()
            ? CheckStatus.CRITICAL
            : c.percentUsed() >= t.connectionsWarnPercent() ? CheckStatus.WARNING : CheckStatus.OK;
    return line(
        status,
        "%d of %d connections in use (%.2f%%), %d reserved for superusers; by state %s",
        c.clientBackends(),
        c.maxConnections(),
        c.percentUsed(),
        c.superuserReserved(),
        c.byState());
  }

  static CheckReport slowQueries(LongRunningQueries q) {
    if (q.count() == 0) {
      return line(CheckStatus.OK, "no statement active for more than %.0f s", q.thresholdSeconds());
    }
    return line(
        CheckStatus.WARNING,
        "%d statement(s) active for more than %.0f s, the longest %.0f s",
        q.count(),
        q.thresholdSeconds(),
        q.longestSeconds());
  }

  static CheckReport replication(ReplicationStatus r, AssessmentThresholds t) {
    if (r.replicas().isEmpty()) {
      return line(CheckStatus.OK, "no replica connected to the primary");
    }
    boolean lagging =
        r.maxReplayLagSeconds() >= t.replicationLagSeconds()
            || r.replicas().stream().anyMatch(x -> !"streaming".equals(x.state()));
    return line(
        lagging ? CheckStatus.CRITICAL : CheckStatus.OK,
        "%d replica(s), largest replay lag %.1f s",
        r.replicas().size(),
        r.maxReplayLagSeconds());
  }

  static CheckReport disk(StorageUsage s, AssessmentThresholds t) {
    CheckStatus status =
        s.percentUsed() >= t.diskCriticalPercent()
            ? CheckStatus.CRITICAL
            : s.percentUsed() >= t.diskWarnPercent() ? CheckStatus.WARNING : CheckStatus.OK;
    return line(
        status,
        "%s: %.1f%% used, %s available of %s",
        s.path(),
        s.percentUsed(),
        bytes(s.availableBytes()),
        bytes(s.totalBytes()));
  }

  static CheckReport memory(ResourceUsage m) {
    StringBuilder text = new StringBuilder(m.source()).append(':');
    if (m.memoryUsedBytes() != null) {
      text.append(" memory ").append(bytes(m.memoryUsedBytes()));
      if (m.memoryTotalBytes() != null) {
        text.append(" of ").append(bytes(m.memoryTotalBytes()));
      }
    }
    if (m.memoryPercentUsed() != null) {
      text.append(String.format(Locale.ROOT, " (%.1f%%)", m.memoryPercentUsed()));
    }
    if (m.cpuMillicores() != null) {
      text.append("; cpu ").append(m.cpuMillicores()).append("m");
    }
    boolean high = m.memoryPercentUsed() != null && m.memoryPercentUsed() >= 90;
    return new CheckReport(null, high ? CheckStatus.WARNING : CheckStatus.OK, text.toString());
  }

  static CheckReport pods(List<PodStatus> pods) {
    if (pods.isEmpty()) {
      return line(CheckStatus.CRITICAL, "no database pod found");
    }
    long notReady = pods.stream().filter(p -> !p.ready()).count();
    return line(
        notReady == 0 ? CheckStatus.OK : CheckStatus.CRITICAL,
        "%d pod(s), %d not ready: %s",
        pods.size(),
        notReady,
        pods.stream()
            .map(p -> p.name() + " " + (p.reason() == null ? p.phase() : p.reason()))
            .toList());
  }

  static CheckReport volumes(List<VolumeStatus> volumes) {
    long notBound = volumes.stream().filter(v -> !"Bound".equals(v.phase())).count();
    return line(
        volumes.stream().anyMatch(v -> "Failed".equals(v.phase()))
            ? CheckStatus.CRITICAL
            : notBound == 0 ? CheckStatus.OK : CheckStatus.WARNING,
        "%d volume(s), %d not bound: %s",
        volumes.size(),
        notBound,
        volumes.stream().map(v -> v.name() + " " + v.phase()).toList());
  }

  static CheckReport logs(List<LogFinding> logs) {
    long withErrors = logs.stream().filter(l -> !l.matches().isEmpty()).count();
    long unreadable = logs.stream().filter(l -> l.error() != null).count();
    return line(
        withErrors > 0 ? CheckStatus.WARNING : CheckStatus.OK,
        "%d deployment(s) scanned, %d with database errors, %d unreadable",
        logs.size(),
        withErrors,
        unreadable);
  }

  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
