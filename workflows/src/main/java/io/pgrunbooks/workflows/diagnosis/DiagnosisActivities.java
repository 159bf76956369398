package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The checks of "Detailed Diagnosis", one activity each, all read-only. A check that does not apply
 * to the target's hosting fails with type {@code NotApplicable}
 * (io.pgrunbooks.workflows.assessment.AssessmentFailures), which the workflow reports as such.
 */
@ActivityInterface
public interface DiagnosisActivities {

  /** {@code kubectl describe pod} of each database pod: status, conditions, containers. Kubernetes only. */
  @ActivityMethod
  List<PodDetails> describeDatabasePods(String target);

  /** {@code kubectl get events --sort-by=...creationTimestamp | grep postgres | tail -20}: the newest 20. Kubernetes only. */
  @ActivityMethod
  List<PodEvent> recentPodEvents(String target);

  /**
   * The database's log filtered for ERROR/FATAL/PANIC: {@code kubectl logs --tail --since=1h} of the
   * primary pod (kubernetes), or the server's log file (host). The lines read go to the artifact
   * store.
   */
  @ActivityMethod
  LogScan scanDatabaseLog(String target);

  /** {@code kubectl logs --previous}: the primary's container before its last restart. Kubernetes only. */
  @ActivityMethod
  LogScan scanPreviousDatabaseLog(String target);

  /** Requests and limits of every container of the database pods. Kubernetes only. */
  @ActivityMethod
  List<ContainerResources> podResources(String target);

  /** {@code pg_ctl status} of the data directory. Host only. */
  @ActivityMethod
  ServerStatus serverStatus(String target);

  /** The seed's connection analysis: sessions by client, user, database and state. */
  @ActivityMethod
  List<ConnectionGroup> connectionsByClient(String target);

  /** The seed's lock analysis: every blocked session with the session(s) blocking it. */
  @ActivityMethod
  List<BlockedSession> analyzeLocks(String target);

  /** The seed's replication status: pg_stat_replication with write, flush and replay lag. */
  @ActivityMethod
  List<ReplicaLag> replicationStatus(String target);

  /** The seed's slow query analysis from pg_stat_statements, or which databases lack it. */
  @ActivityMethod
  StatementStatistics slowestStatements(String target);

  /** The seed's database size analysis, largest first. */
  @ActivityMethod
  List<DatabaseSize> databaseSizes(String target);

  /** The seed's table and index usage, the ten tables with most rows read sequentially per database. */
  @ActivityMethod
  List<TableStatistics> tableStatistics(String target);
}
