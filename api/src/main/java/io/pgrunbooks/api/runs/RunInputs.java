package io.pgrunbooks.api.runs;

import io.pgrunbooks.api.errors.BadRequest;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.Scenario;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.VerifyRequest;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import io.pgrunbooks.workflows.common.ObjectKeys;
import io.pgrunbooks.workflows.connections.ConnectionRequest;
import io.pgrunbooks.workflows.crashrecovery.CrashRecoveryRequest;
import io.pgrunbooks.workflows.diagnosis.DiagnosisRequest;
import io.pgrunbooks.workflows.disk.DiskRequest;
import io.pgrunbooks.workflows.maintenance.MaintenanceRequest;
import io.pgrunbooks.workflows.pitr.PitrRequest;
import io.pgrunbooks.workflows.prevention.PreventionRequest;
import io.pgrunbooks.workflows.restore.DropLeftoverRequest;
import io.pgrunbooks.workflows.replication.ReplicationRequest;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.slowqueries.SlowQueryRequest;
import io.pgrunbooks.workflows.restore.RestoreNames;
import io.pgrunbooks.workflows.response.IncidentRequest;
import io.pgrunbooks.workflows.restore.RestoreRequest;
import io.pgrunbooks.workflows.validation.ValidationRequest;
import io.pgrunbooks.workflows.watch.WatchRequest;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A REST start request turned into the runbook's workflow input, or a 400 saying what is wrong. */
final class RunInputs {
  private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private RunInputs() {}

  static Object of(RunbookDescriptor runbook, StartRunRequest request, String requestedBy) {
    if (runbook.equals(RunbookCatalog.ASSESS_DATABASE_HEALTH)) {
      refuseBackupOptions(runbook, request);
      return new AssessmentRequest(request.target(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.BACKUP_DATABASES)) {
      requireReference(request.keyRef());
      if (request.parallelism() != null && (request.parallelism() < 1 || request.parallelism() > 16)) {
        throw new BadRequest("'parallelism' must be between 1 and 16");
      }
      return new BackupRequest(
          request.target(),
          request.databases() == null ? List.of() : request.databases(),
          backupFormat(request.format()),
          request.parallelism() == null ? 0 : request.parallelism(),
          request.keyRef(),
          requestedBy);
    }
    if (runbook.equals(RunbookCatalog.VERIFY_BACKUP)) {
      requireReference(request.keyRef());
      return new VerifyRequest(
          request.target(), objectKey("metadataKey", request.metadataKey()), request.databases() == null ? List.of() : request.databases(),
          request.keyRef(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RESTORE_FROM_BACKUP)) {
      requireReference(request.keyRef());
      if (request.database() == null || !DATABASE.matcher(request.database()).matches()) {
        throw new BadRequest("'database' is required: the database to restore (lower-case letters, digits and _)");
      }
      return new RestoreRequest(
          request.target(), request.database(), objectKey("objectKey", blankToNull(request.objectKey())), request.keyRef(), restoreMode(request.mode()),
          Boolean.TRUE.equals(request.dryRun()), requestedBy, approvalTimeout(request), Boolean.TRUE.equals(request.abortOnApprovalTimeout()));
    }
    if (runbook.equals(RunbookCatalog.DROP_RESTORE_LEFTOVER)) {
      if (request.database() == null || !RestoreNames.isLeftover(request.database())) {
        throw new BadRequest("'database' must name what a restore kept: <db>_pre_restore_<yyyyMMdd_HHmmss> or <db>_restore_<...>");
      }
      return new DropLeftoverRequest(request.target(), request.database(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.DIAGNOSE_DATABASE)) {
      refuseBackupOptions(runbook, request);
      return new DiagnosisRequest(request.target(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.VALIDATE_RECOVERY)) {
      refuseBackupOptions(runbook, request);
      return new ValidationRequest(request.target(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RUN_MAINTENANCE)) {
      return new MaintenanceRequest(request.target(), request.databases() == null ? List.of() : request.databases(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.WATCH_AFTER_INCIDENT)) {
      if (request.hours() != null && (request.hours() < 1 || request.hours() > 72)) {
        throw new BadRequest("'hours' must be between 1 and 72 (default 4, the seed's)");
      }
      if (request.incident() != null && !request.incident().matches("[a-z0-9][a-z0-9-]{0,30}")) {
        throw new BadRequest("'incident' is a short id: lower-case letters, digits and dashes, at most 31");
      }
      return new WatchRequest(request.target(), request.hours() == null ? 0 : request.hours(), request.incident(), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RECOVER_TO_POINT_IN_TIME)) {
      if (request.targetTime() == null) {
        throw new BadRequest("'targetTime' is required: an RFC 3339 time such as 2026-11-22T12:00:00Z");
      }
      try {
        java.time.OffsetDateTime.parse(request.targetTime());
      } catch (java.time.format.DateTimeParseException e) {
        throw new BadRequest("'targetTime' is not an RFC 3339 time with an offset (e.g. 2026-11-22T12:00:00Z): " + request.targetTime());
      }
      return new PitrRequest(
          request.target(), request.targetTime(), blankToNull(request.checkDatabase()), blankToNull(request.checkSql()),
          Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RELIEVE_CONNECTION_EXHAUSTION)) {
      if (request.idleMinutes() != null && (request.idleMinutes() < 0 || request.idleMinutes() > 7 * 24 * 60)) {
        throw new BadRequest("'idleMinutes' must be between 0 and 10080");
      }
      if (request.maxConnections() != null && (request.maxConnections() < 10 || request.maxConnections() > 10_000)) {
        throw new BadRequest("'maxConnections' must be between 10 and 10000");
      }
      return new ConnectionRequest(
          request.target(), request.idleMinutes(), request.maxConnections(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.ENABLE_PG_STAT_STATEMENTS)) {
      return new PreventionRequest(
          request.target(), request.databases() == null ? List.of() : request.databases(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RECOVER_CRASHED_POD)) {
      range("logRetentionDays", request.logRetentionDays(), 1, 3650);
      if (request.restoreDatabase() != null && !DATABASE.matcher(request.restoreDatabase()).matches()) {
        throw new BadRequest("'restoreDatabase' is one of the target's databases (lower-case letters, digits and _)");
      }
      return new CrashRecoveryRequest(request.target(), request.logRetentionDays(), blankToNull(request.restoreDatabase()),
          Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.REPAIR_REPLICATION_LAG)) {
      if (request.replica() != null && !request.replica().matches("[A-Za-z0-9_.-]{1,63}")) {
        throw new BadRequest("'replica' is a configured replica's name: letters, digits, '.', '_' and '-', at most 63");
      }
      if (request.maxLagBytes() != null && request.maxLagBytes() < 0) {
        throw new BadRequest("'maxLagBytes' must not be negative");
      }
      range("recheckMinutes", request.recheckMinutes(), 1, 120);
      range("sampleSeconds", request.sampleSeconds(), 1, 300);
      return new ReplicationRequest(request.target(), request.replica(), request.maxLagBytes(), request.recheckMinutes(),
          request.sampleSeconds(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RESOLVE_SLOW_QUERIES)) {
      range("minutes", request.minutes(), 0, 1440);
      range("seconds", request.seconds(), 0, 86_400);
      return new SlowQueryRequest(request.target(), request.minutes(), request.seconds(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RECLAIM_DISK_SPACE)) {
      range("logRetentionDays", request.logRetentionDays(), 1, 3650);
      if (request.expandTo() != null && !request.expandTo().matches("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?")) {
        throw new BadRequest("'expandTo' is a Kubernetes quantity such as 150Gi, got '" + request.expandTo() + "'");
      }
      return new DiskRequest(request.target(), request.logRetentionDays(), request.maintenanceWindow(), request.expandTo(),
          request.dropInactiveSlots(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    if (runbook.equals(RunbookCatalog.RESPOND_TO_BACKUP_FAILURE)) {
      range("escalateAfterMinutes", request.escalateAfterMinutes(), 1, 7 * 24 * 60);
      if (request.expandTo() != null && !BackupFailureRequest.isStorageQuantity(request.expandTo())) {
        throw new BadRequest("'expandTo' is a Kubernetes quantity such as 200Gi, got '" + request.expandTo() + "'");
      }
      return new BackupFailureRequest(request.target(), request.escalateAfterMinutes(), Boolean.TRUE.equals(request.dryRun()), requestedBy,
          request.expandTo(), request.rotateKey());
    }
    if (runbook.equals(RunbookCatalog.RESPOND_TO_DATABASE_FAILURE)) {
      if (request.hours() != null && (request.hours() < 0 || request.hours() > 72)) {
        throw new BadRequest("'hours' must be between 0 (no post-incident watch) and 72 (default 4, the seed's)");
      }
      return new IncidentRequest(
          request.target(), scenario(request.scenario()), Boolean.TRUE.equals(request.stopAfterDiagnosis()), null, null,
          request.hours(), Boolean.TRUE.equals(request.dryRun()), requestedBy);
    }
    throw new BadRequest("runbook '" + runbook.name() + "' cannot be started over REST yet");
  }

  private static final Pattern SECRET_REF =
      Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/\\S+|k8s:[a-z0-9.-]+/[a-z0-9.-]+/[A-Za-z0-9._-]+)");

  /** A passphrase pasted where its reference belongs must not reach workflow history. */
  private static void requireReference(String keyRef) {
    if (keyRef != null && !SECRET_REF.matcher(keyRef).matches()) {
      throw new BadRequest("'keyRef' must be a reference (env:NAME, file:/path or k8s:namespace/secret/key), not a key");
    }
  }

  private static BackupFormat backupFormat(String format) {
    if (format == null || format.isBlank()) {
      return null;
    }
    try {
      return BackupFormat.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("unknown format '" + format + "'; one of [compatible, fast]");
    }
  }

  private static void refuseBackupOptions(RunbookDescriptor runbook, StartRunRequest request) {
    if (request.databases() != null || request.format() != null || request.parallelism() != null
        || request.keyRef() != null || request.metadataKey() != null || request.database() != null
        || request.objectKey() != null || request.mode() != null || request.dryRun() != null || request.targetTime() != null
        || request.idleMinutes() != null || request.maxConnections() != null || request.scenario() != null
        || request.stopAfterDiagnosis() != null || request.hours() != null || request.replica() != null
        || request.maxLagBytes() != null || request.recheckMinutes() != null || request.sampleSeconds() != null
        || request.logRetentionDays() != null || request.maintenanceWindow() != null || request.expandTo() != null
        || request.dropInactiveSlots() != null || request.restoreDatabase() != null || request.minutes() != null
        || request.seconds() != null || request.escalateAfterMinutes() != null || request.rotateKey() != null) {
      throw new BadRequest("runbook '" + runbook.name() + "' takes only 'runbook' and 'target'");
    }
  }

  /** Whether the run changes something (it then needs the target to itself): dry runs do not. */
  static boolean isDestructive(RunbookDescriptor runbook, StartRunRequest request) {
    return !runbook.destructiveSteps().isEmpty() && !Boolean.TRUE.equals(request.dryRun());
  }

  private static void range(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new BadRequest("'" + field + "' must be between " + min + " and " + max);
    }
  }

  /** A scenario named by its runbook (e.g. resolve-slow-queries), or none. */
  private static Scenario scenario(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    if (name.equals("none")) {
      return Scenario.NONE;
    }
    List<String> names = new java.util.ArrayList<>();
    for (Scenario s : Scenario.values()) {
      RunbookDescriptor runbook = RunbookCatalog.ALL.stream().filter(r -> r.workflowType().equals(s.workflowType())).findFirst().orElse(null);
      if (runbook != null && runbook.name().equals(name)) {
        return s;
      }
      if (runbook != null) {
        names.add(runbook.name());
      }
    }
    names.add("none");
    throw new BadRequest("unknown scenario '" + name + "'; one of " + names);
  }

  private static RestoreMode restoreMode(String mode) {
    if (mode == null || mode.isBlank()) {
      return RestoreMode.AUTO;
    }
    try {
      return RestoreMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("unknown mode '" + mode + "'; one of [auto, streamed, staged]");
    }
  }

  private static long approvalTimeout(StartRunRequest request) {
    Long seconds = request.approvalTimeoutSeconds();
    if (seconds != null && (seconds < 60 || seconds > 7 * 86400)) {
      throw new BadRequest("'approvalTimeoutSeconds' must be between 60 and 604800");
    }
    return seconds == null ? 0 : seconds;
  }

  /** A key of the backup store, refused when it could name something outside it (see ObjectKeys). */
  private static String objectKey(String field, String key) {
    if (key != null) {
      ObjectKeys.problem(key).ifPresent(why -> {
        throw new BadRequest("'" + field + "' " + why + ": give the key as GET /api/runs shows it in a backup's result");
      });
    }
    return key;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
