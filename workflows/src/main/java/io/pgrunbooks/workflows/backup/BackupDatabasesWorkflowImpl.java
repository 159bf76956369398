package io.pgrunbooks.workflows.backup;

import io.pgrunbooks.workflows.common.ChildRuns;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 003 "Manual Backup Execution": the loop over databases, bounded in parallel, each database a
 * child workflow whose failure is recorded rather than thrown; then metadata.json and pointers.
 */
public class BackupDatabasesWorkflowImpl implements BackupDatabasesWorkflow {
  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final BackupActivities quick =
      Workflow.newActivityStub(BackupActivities.class, BackupTimeouts.QUICK);

  @Override
  public BackupRunResult backup(BackupRequest request) {
    Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis());

    // 0. Plan: defaults resolved, every name checked, before anything is dumped.
    RunProgress.enter("plan", "Checking target " + request.target() + ", databases, store and key");
    BackupPlan plan = quick.planBackup(request, LABEL.format(started));

    // 1. For DB in DATABASES: a child per database, at most plan.parallelism() at once.
    RunProgress.enter(
        "backup",
        "Backing up " + plan.databases().size() + " database(s) of " + plan.target() + ", "
            + plan.parallelism() + " at a time, to s3://" + plan.bucket() + "/" + plan.prefix());
    Map<String, Promise<DatabaseBackup>> running = new LinkedHashMap<>();
    Map<String, DatabaseBackup> done = new LinkedHashMap<>();
    for (String database : plan.databases()) {
      while (running.size() >= plan.parallelism()) {
        Promise.anyOf(running.values()).get();
        collectFinished(running, done);
      }
      BackupDatabaseWorkflow child =
          Workflow.newChildWorkflowStub(
              BackupDatabaseWorkflow.class,
              ChildWorkflowOptions.newBuilder(
                      ChildRuns.options(
                          "backup-database/" + plan.target() + "/" + database + "/" + plan.label(),
                          BackupDatabaseWorkflow.TYPE, "database " + database, plan.target(), request.requestedBy()))
                  // Cancelling the run cancels the dumps; a dump never outlives its run.
                  .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
                  .build());
      DatabaseBackupRequest one = new DatabaseBackupRequest(plan, database, request.requestedBy());
      running.put(database, Async.function(() -> backupOne(child, one)));
    }
    Promise.allOf(running.values()).get();
    collectFinished(running, done);
    List<DatabaseBackup> results = new ArrayList<>();
    plan.databases().forEach(db -> results.add(done.get(db)));

    // 2. metadata.json after the objects it describes, listing only objects verified present.
    RunProgress.enter("metadata", "Writing metadata.json for " + plan.label());
    MetadataWritten metadata;
    String problem = null;
    try {
      metadata = quick.writeRunMetadata(plan, results, request.requestedBy());
    } catch (ActivityFailure failure) {
      // The store that refused the dumps may refuse metadata.json too: the per-database results
      // still say what happened, and nothing is listed or pointed at.
      problem = "metadata.json not written: " + message(failure);
      metadata = new MetadataWritten(null, List.of(), List.of());
    }

    // 3. Move the latest pointers: per database when verified; the run's only when all are.
    boolean wholeRun =
        metadata.missing().isEmpty()
            && results.stream().allMatch(DatabaseBackup::succeeded)
            && metadata.verifiedDatabases().size() == plan.databases().size();
    if (!metadata.verifiedDatabases().isEmpty()) {
      quick.moveLatestPointers(plan, metadata.verifiedDatabases(), wholeRun);
    }

    long failed = results.stream().filter(r -> !r.succeeded()).count();
    RunProgress.enter(
        "done",
        failed == 0
            ? "All " + results.size() + " database(s) backed up and verified present"
            : failed + " of " + results.size() + " database(s) failed: " + failedNames(results));
    return new BackupRunResult(
        plan.target(),
        plan.label(),
        plan.format(),
        plan.keyId(),
        metadata.metadataKey(),
        wholeRun,
        results,
        started.toString(),
        Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(),
        problem);
  }

  private static String message(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    return cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
  }

  /** A child that fails as a workflow (terminated, timed out) is a failed database, not a failed run. */
  private static DatabaseBackup backupOne(BackupDatabaseWorkflow child, DatabaseBackupRequest request) {
    try {
      return child.backup(request);
    } catch (ChildWorkflowFailure failure) {
      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
      String message = cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : cause.toString();
      return DatabaseBackup.failed(
          request.database(),
          request.plan().objectKey(request.database()),
          1,
          cause.getClass().getSimpleName(),
          "the database's backup workflow ended without a result: " + message);
    }
  }

  private static void collectFinished(
      Map<String, Promise<DatabaseBackup>> running, Map<String, DatabaseBackup> done) {
    running.entrySet().removeIf(
        e -> {
          if (!e.getValue().isCompleted()) {
            return false;
          }
          done.put(e.getKey(), e.getValue().get());
          return true;
        });
  }

  private static List<String> failedNames(List<DatabaseBackup> results) {
    return results.stream().filter(r -> !r.succeeded()).map(DatabaseBackup::database).toList();
  }
}
