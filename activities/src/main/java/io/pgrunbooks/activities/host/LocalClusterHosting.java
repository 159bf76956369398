package io.pgrunbooks.activities.host;

import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
