package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** A cluster on the worker's own machine. */
@Component
public class LocalClusterHosting implements ClusterHosting {
  private final Path procMeminfo;

  @Autowired
  public LocalClusterHosting() {
    this(Path.of("/proc/meminfo"));
  }

  LocalClusterHosting(Path procMeminfo) {
    this.procMeminfo = procMeminfo;
  }

  @Override
  public Hosting hosting() {
    return Hosting.HOST;
  }

  @Override
  public StorageUsage diskUsage(TargetConfig target) {
    Path dataDirectory = Path.of(target.host().dataDirectory());
    try {
      FileStore store = Files.getFileStore(dataDirectory);
      long total = store.getTotalSpace();
      long available = store.getUsableSpace();
      long used = total - store.getUnallocatedSpace();
      // df's Use%: used / (used + available), so reserved blocks count as unavailable.
      double percent = used + available == 0 ? 0 : 100.0 * used / (used + available);
      return new StorageUsage(dataDirectory.toString(), total, used, available, round1(percent));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("data directory " + dataDirectory + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ResourceUsage memoryUsage(TargetConfig target) {
    try {
      Map<String, Long> kib = new HashMap<>();
      for (String line : Files.readAllLines(procMeminfo)) {
        String[] parts = line.split("\\s+");
        if (parts.length >= 2) {
          kib.put(parts[0].replace(":", ""), Long.parseLong(parts[1]));
        }
      }
      long total = kib.get("MemTotal") * 1024;
      long available = kib.getOrDefault("MemAvailable", kib.get("MemFree")) * 1024;
      long used = total - available;
      return new ResourceUsage(
          procMeminfo.toString(), total, used, round1(100.0 * used / total), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<PodStatus> databasePods(TargetConfig target) {
    throw notApplicable(target, "pods");
  }

  @Override
  public List<VolumeStatus> persistentVolumes(TargetConfig target) {
    throw notApplicable(target, "persistent volumes");
  }

  @Override
  public List<LogFinding> applicationLogErrors(
      TargetConfig target, int tailLines, int sinceSeconds, Runnable progress) {
    throw notApplicable(target, "application deployments");
  }

  @Override
  public String stopServer(TargetConfig target, Consumer<String> progress) {
    HostPlacement host = target.host();
    if (serverRunning(target)) {
      // -m fast: roll back open transactions and write a shutdown checkpoint, so the directory
      // kept aside is a cleanly stopped cluster that starts again as it was.
      OsCommand.Result stop =
          OsCommand.run(host.osUser(), PgCtl.command(host, "stop", "-m", "fast", "-w", "-t", "600"), Duration.ofMinutes(11), progress);
      if (!stop.ok() && serverRunning(target)) {
        throw ApplicationFailure.newFailure("pg_ctl stop failed: " + stop.tail(3), "StopFailed");
      }
    }
    OsCommand.Result control =
        OsCommand.run(
            host.osUser(), List.of(PgCtl.binDirectory(host).resolve("pg_controldata").toString(), "-D", host.dataDirectory()),
            Duration.ofSeconds(30), null);
    if (!control.ok()) {
      throw ApplicationFailure.newFailure("pg_controldata failed: " + control.tail(3), "StopFailed");
    }
    String state = controlValue(control.stdout(), "Database cluster state");
    if (!"shut down".equals(state)) {
      throw ApplicationFailure.newFailure(
          "the cluster at " + host.dataDirectory() + " is stopped but not cleanly (state: " + state + ")", "StopFailed");
    }
    return controlValue(control.stdout(), "Latest checkpoint location");
  }

  @Override
  public void startServer(TargetConfig target, String logFile, String serverOptions) {
    if (serverRunning(target)) {
      return;
    }
    HostPlacement host = target.host();
    List<String> command = new ArrayList<>(PgCtl.command(host, "start", "-W", "-l", logFile));
    if (serverOptions != null && !serverOptions.isBlank()) {
      command.addAll(List.of("-o", serverOptions));
    }
    OsCommand.Result start = OsCommand.run(host.osUser(), command, Duration.ofSeconds(60), null);
    if (!start.ok()) {
      throw ApplicationFailure.newFailure("pg_ctl start failed: " + start.tail(3), "StartFailed");
    }
    // -W returns before the postmaster wrote its pid file; until then status says "not running".
    // Polled often: a started server is usually seen within 0.1 s, and the check is a pg_ctl status.
    for (int i = 0; i < 300 && !serverRunning(target); i++) {
      sleep(100);
    }
    if (!serverRunning(target)) {
      throw ApplicationFailure.newFailure("the server did not start: see " + logFile, "StartFailed");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the server", e);
    }
  }

  @Override
  public boolean serverRunning(TargetConfig target) {
    // pg_ctl status: 0 running, 3 not running, 4 no data directory.
    HostPlacement host = target.host();
    return OsCommand.run(host.osUser(), PgCtl.command(host, "status"), Duration.ofSeconds(30), null).ok();
  }

  /** A field of pg_controldata's output ({@code Name:   value}). */
  static String controlValue(String output, String name) {
    return output.lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).trim())
        .findFirst()
        .orElse(null);
  }

  private static NotApplicable notApplicable(TargetConfig target, String what) {
    return new NotApplicable(
        "host hosting has no "
            + what
            + ": PostgreSQL runs on this machine from "
            + target.host().dataDirectory());
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
