package io.pgrunbooks.workflows.validation;

import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReplicationStatus;
import java.util.List;
import java.util.Map;

/**
 * The post-recovery verdict.
 *
 * @param target the target
 * @param readiness pg_isready
 * @param replication the replicas and their lag (empty on a primary without replicas)
 * @param connectionsByState sessions per state ({@code count(*), state ... group by state})
 * @param databases statistics of the target's databases
 * @param applications the health URLs' answers
 * @param problems what is not right, in words; empty when the recovery checks out
 */
public record ValidationReport(
    String target,
    Readiness readiness,
    ReplicationStatus replication,
    Map<String, Integer> connectionsByState,
    List<DatabaseStatistics> databases,
    List<HealthCheck> applications,
    List<String> problems) {

  public boolean healthy() {
    return problems.isEmpty();
  }
}
