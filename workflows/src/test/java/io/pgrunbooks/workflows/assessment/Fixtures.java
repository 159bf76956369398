package io.pgrunbooks.workflows.assessment;

import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetProfile;
import java.util.List;
import java.util.Map;

/** Findings of a healthy cluster, to vary one thing at a time. */
final class Fixtures {
  private Fixtures() {}

  static final AssessmentThresholds LIMITS = AssessmentThresholds.defaults();

  static TargetProfile profile(Hosting hosting) {
    return new TargetProfile(
        "link", hosting, "namespace link-services", List.of("link_users"), List.of("user-svc"), LIMITS);
  }

  static Readiness accepting() {
    return new Readiness(ReadinessState.ACCEPTING, "127.0.0.1:5432", null, null, 3);
  }

  static ServerIdentity server() {
    return new ServerIdentity("PostgreSQL 15.18", 150018, "2026-11-22T10:00:00Z", false);
  }

  static ConnectionUsage connections(int current, int max) {
    return new ConnectionUsage(
        current + 5, current, max, 3, Math.round(10000.0 * current / max) / 100.0, Map.of("idle", current));
  }

  static LongRunningQueries noSlowQueries() {
    return new LongRunningQueries(300, 0, 0, List.of());
  }

  static ReplicationStatus noReplicas() {
    return new ReplicationStatus(List.of(), 0);
  }

  static StorageUsage disk(double percent) {
    long total = 100L << 30;
    long used = (long) (total * percent / 100);
    return new StorageUsage("/var/lib/postgresql/data", total, used, total - used, percent);
  }

  static ResourceUsage memory() {
    return new ResourceUsage("/proc/meminfo", 8L << 30, 2L << 30, 25.0, null);
  }

  static PodStatus runningPod(String name) {
    return new PodStatus(name, "Running", true, 0, null, "node-1");
  }

  static VolumeStatus boundVolume() {
    return new VolumeStatus("postgres-primary-pv", "Bound", "100Gi", "link-services/postgres-primary-pvc", "standard");
  }

  static Findings healthy() {
    return new Findings(
        accepting(),
        server(),
        connections(10, 100),
        noSlowQueries(),
        noReplicas(),
        disk(40),
        memory(),
        List.of(runningPod("postgres-primary-0")),
        List.of(boundVolume()),
        List.of(new LogFinding("user-svc", 20, List.of(), null)));
  }

  static Findings with(Findings f, Readiness r) {
    return new Findings(r, f.server(), f.connections(), f.longRunningQueries(), f.replication(), f.storage(), f.resources(), f.pods(), f.volumes(), f.applicationLogs());
  }

  static Findings with(Findings f, ConnectionUsage c) {
    return new Findings(f.readiness(), f.server(), c, f.longRunningQueries(), f.replication(), f.storage(), f.resources(), f.pods(), f.volumes(), f.applicationLogs());
  }

  static Findings with(Findings f, LongRunningQueries q) {
    return new Findings(f.readiness(), f.server(), f.connections(), q, f.replication(), f.storage(), f.resources(), f.pods(), f.volumes(), f.applicationLogs());
  }

  static Findings with(Findings f, ReplicationStatus r) {
    return new Findings(f.readiness(), f.server(), f.connections(), f.longRunningQueries(), r, f.storage(), f.resources(), f.pods(), f.volumes(), f.applicationLogs());
  }

  static Findings with(Findings f, StorageUsage s) {
    return new Findings(f.readiness(), f.server(), f.connections(), f.longRunningQueries(), f.replication(), s, f.resources(), f.pods(), f.volumes(), f.applicationLogs());
  }

  static Findings withPods(Findings f, List<PodStatus> pods) {
    return new Findings(f.readiness(), f.server(), f.connections(), f.longRunningQueries(), f.replication(), f.storage(), f.resources(), pods, f.volumes(), f.applicationLogs());
  }
}
