package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * What "Detailed Diagnosis" found. Each section is null when its check could not run or does not
 * apply; the checklist then says why.
 *
 * @param target the target
 * @param hosting how it runs
 * @param requestedBy who asked
 * @param startedAt when the run started (RFC 3339, UTC)
 * @param finishedAt when it finished
 * @param findings what a person should look at, in plain words, most serious first
 * @param checklist every check in the seed's order with its status and a sentence
 * @param pods the database pods described (kubernetes)
 * @param events the newest events about them (kubernetes)
 * @param log the database log's ERROR/FATAL/PANIC lines (pod log or server log file)
 * @param previousLog the same for the container before its last restart (kubernetes)
 * @param resources requests and limits of the pods' containers (kubernetes)
 * @param serverStatus pg_ctl status (host)
 * @param connections sessions by client, user, database and state
 * @param locks blocked sessions and who blocks them
 * @param replication pg_stat_replication with lags (empty: no replica connected)
 * @param statements pg_stat_statements' slowest statements, or why there are none
 * @param sizes database sizes, largest first
 * @param tables table scan and tuple statistics of the target's databases
 */
public record DiagnosisReport(
    String target,
    Hosting hosting,
    String requestedBy,
    String startedAt,
    String finishedAt,
    List<String> findings,
    List<CheckReport> checklist,
    List<PodDetails> pods,
    List<PodEvent> events,
    LogScan log,
    LogScan previousLog,
    List<ContainerResources> resources,
    ServerStatus serverStatus,
    List<ConnectionGroup> connections,
    List<BlockedSession> locks,
    List<ReplicaLag> replication,
    StatementStatistics statements,
    List<DatabaseSize> sizes,
    List<TableStatistics> tables) {}
