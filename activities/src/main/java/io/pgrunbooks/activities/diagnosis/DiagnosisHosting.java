package io.pgrunbooks.activities.diagnosis;

import io.pgrunbooks.activities.hosting.ClusterHosting.NotApplicable;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.diagnosis.ContainerResources;
import io.pgrunbooks.workflows.diagnosis.PodDetails;
import io.pgrunbooks.workflows.diagnosis.PodEvent;
import io.pgrunbooks.workflows.diagnosis.ServerStatus;
import java.util.List;

/**
 * The diagnosis steps that depend on how the cluster runs: {@link KubernetesDiagnosis} (fabric8)
 * and {@link HostDiagnosis} (the worker's machine). A step the hosting does not have throws {@link
 * NotApplicable}.
 */
interface DiagnosisHosting {
  /** Lines of the database's log the scan reads: the seed's {@code --tail=100}, widened. */
  int LOG_TAIL_LINES = 1000;

  /** The seed's {@code --since=1h} for the current container's log. */
  int LOG_SINCE_SECONDS = 3600;

  /** Raw log text and where it came from. */
  record RawLog(String source, String text) {}

  List<PodDetails> describePods(TargetConfig target);

  List<PodEvent> recentEvents(TargetConfig target, int newest);

  /** The last lines of the database's log; {@code previous}: of the container before its restart. */
  RawLog databaseLog(TargetConfig target, boolean previous);

  List<ContainerResources> resources(TargetConfig target);

  ServerStatus serverStatus(TargetConfig target);
}
