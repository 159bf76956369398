package io.pgrunbooks.activities.backupfailure;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.serverfiles.OldDumpFiles;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backupfailure.BackupPodStorage;
import io.pgrunbooks.workflows.backupfailure.DumpDeletion;
import io.pgrunbooks.workflows.backupfailure.DumpFile;
import io.pgrunbooks.workflows.backupfailure.OldDumps;
import io.pgrunbooks.workflows.backupfailure.StorageSpaceActivities;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Scenario 3 of the backup-failure runbook: the backup Job's pod (fabric8) and the old dump files
 * where the data directory is (through the hosting's {@link io.pgrunbooks.activities.serverfiles.ServerShell}:
 * the cluster's OS user on a host, exec in the primary pod on kubernetes). See {@link StorageSpaceActivities}.
 */
@Component
public class StorageSpaceActivitiesImpl implements StorageSpaceActivities {
  /** The label Kubernetes' Job controller puts on a Job's pods (the seed's {@code -l job-name=...}). */
  static final String JOB_NAME_LABEL = "job-name";

  /**
   * What a pod's status, its containers' terminations or its events say when space ran out: the
   * kubelet's eviction messages ("Pod ephemeral local storage usage exceeds the total limit of
   * containers 1Gi.", "The node was low on resource: ephemeral-storage.", "Usage of EmptyDir volume
   * "tmp" exceeds the limit "1Gi"."), node DiskPressure, and the kernel's ENOSPC.
   */
  static final Pattern OUT_OF_SPACE = Pattern.compile(
      "(?i)ephemeral[- ]storage|ephemeral local storage|emptydir volume .* exceeds the limit|diskpressure|disk pressure"
          + "|no space left on device|disk full");

  private final TargetRegistry targets;
  private final ServerShells shells;
  private final Supplier<KubernetesClient> kubernetes;

  public StorageSpaceActivitiesImpl(TargetRegistry targets, ServerShells shells, Supplier<KubernetesClient> kubernetes) {
    this.targets = targets;
    this.shells = shells;
    this.kubernetes = kubernetes;
  }

  @Override
  public BackupPodStorage checkBackupPodStorage(String target) {
    TargetConfig config = targets.get(target);
    if (config.hosting() != Hosting.KUBERNETES || config.kubernetes() == null || config.kubernetes().namespace() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " is " + config.hosting() + ": backup pods exist only on kubernetes targets with kubernetes.namespace"
              + " (this service's own backups stream and stage no local file)", "NotApplicable");
    }
    return KubernetesFailures.call(() -> podStorage(config.kubernetes().namespace()));
  }

  private BackupPodStorage podStorage(String namespace) {
    KubernetesClient k8s = kubernetes.get();
    Job job = k8s.batch().v1().jobs().inNamespace(namespace).withLabel("app", BackupFailureActivitiesImpl.JOB_LABEL).list().getItems()
        .stream()
        .max(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp()).thenComparing(j -> j.getMetadata().getName()))
        .orElse(null); // created in the same second: the seed's names end in the date
    if (job == null) {
      return new BackupPodStorage(namespace, null, List.of(), List.of(), false, List.of());
    }
    String jobName = job.getMetadata().getName();
    List<Pod> pods = k8s.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, jobName).list().getItems();
    List<String> described = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      var status = pod.getStatus();
      String reason = status == null ? null : status.getReason();
      String message = status == null ? null : status.getMessage();
      described.add(name + " " + (status == null ? "?" : status.getPhase()) + (reason == null ? "" : " " + reason)
          + (message == null ? "" : ": " + message.strip()));
      if (outOfSpace(reason, message)) {
        evidence.add("pod " + name + " " + reason + ": " + message.strip());
      }
      List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
      for (ContainerStatus c : containers) {
        Stream.of(c.getState() == null ? null : c.getState().getTerminated(), c.getLastState() == null ? null : c.getLastState().getTerminated())
            .filter(Objects::nonNull)
            .filter(t -> outOfSpace(t.getReason(), t.getMessage()))
            .map(t -> "container " + name + "/" + c.getName() + " terminated " + terminated(t))
            .forEach(evidence::add);
      }
      (pod.getSpec() == null ? List.<io.fabric8.kubernetes.api.model.Container>of() : pod.getSpec().getContainers()).stream()
          .filter(c -> c.getResources() != null && c.getResources().getLimits() != null && c.getResources().getLimits().containsKey("ephemeral-storage"))
          .map(c -> c.getName() + "=" + c.getResources().getLimits().get("ephemeral-storage"))
          .forEach(limits::add);
    }
    Set<String> podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> about(e.getInvolvedObject(), "Pod", podNames) || about(e.getInvolvedObject(), "Job", Set.of(jobName)))
        .filter(e -> outOfSpace(e.getReason(), e.getMessage()))
        .map(e -> "event " + e.getInvolvedObject().getKind() + " " + e.getInvolvedObject().getName() + " " + e.getReason() + ": "
            + e.getMessage().strip() + (e.getCount() == null || e.getCount() < 2 ? "" : " (x" + e.getCount() + ")"))
        .forEach(evidence::add);
    return new BackupPodStorage(namespace, jobName, described, limits, !evidence.isEmpty(), evidence);
  }

  private static boolean about(ObjectReference object, String kind, Set<String> names) {
    return object != null && kind.equals(object.getKind()) && names.contains(object.getName());
  }

  private static boolean outOfSpace(String reason, String message) {
    return message != null && OUT_OF_SPACE.matcher((reason == null ? "" : reason) + " " + message).find();
  }

  private static String terminated(ContainerStateTerminated t) {
    return Objects.requireNonNullElse(t.getReason(), "?") + " (exit " + t.getExitCode() + "): " + t.getMessage().strip();
  }

  @Override
  public OldDumps findOldDumpFiles(String target) {
    TargetConfig config = targets.get(target);
    int days = retentionDays(config);
    Instant cutoff = Instant.now().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
    OldDumpFiles.Listing listing = OldDumpFiles.find(shells.of(config), config, dumpDirectory(config), cutoff);
    List<DumpFile> files = listing.old().stream()
        .map(f -> new DumpFile(f.directory(), f.file().name(), f.file().bytes(), Instant.ofEpochSecond(f.file().modifiedEpochSeconds()).toString()))
        .toList();
    return new OldDumps(listing.directories(), days, cutoff.toString(), files, listing.problems());
  }

  @Override
  public DumpDeletion deleteOldDumpFiles(String target, OldDumps approved) {
    TargetConfig config = targets.get(target);
    List<OldDumpFiles.Approved> files = approved.files().stream()
        .map(f -> new OldDumpFiles.Approved(f.directory(), f.name(), f.bytes(), Instant.parse(f.modifiedAt()).getEpochSecond()))
        .toList();
    OldDumpFiles.Deletion deletion =
        OldDumpFiles.delete(shells.of(config), config, dumpDirectory(config), files, Instant.parse(approved.cutoff()));
    return new DumpDeletion(deletion.deleted(), deletion.freedBytes(), deletion.gone(), deletion.skipped());
  }

  private static int retentionDays(TargetConfig config) {
    return config.backup() == null ? BackupSettings.DEFAULT_DUMP_RETENTION_DAYS : config.backup().dumpRetentionDays();
  }

  private static String dumpDirectory(TargetConfig config) {
    return config.backup() == null ? null : config.backup().localDumpDirectory();
  }
}
