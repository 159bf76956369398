package io.pgrunbooks.workflows.pitr;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.assessment.HealthAssessment;

/**
 * Result of {@link RecoverToPointInTimeWorkflow}.
 *
 * @param outcome how the run ended
 * @param plan the validated plan (the whole result of a dry run)
 * @param gate the approval decision (null for a dry run)
 * @param stoppedAtLsn WAL position of the old server's shutdown checkpoint (null unless stopped)
 * @param preservedDataDirectory where the old data directory is kept (null unless moved)
 * @param recoveryPoint where recovery stopped (null unless recovered)
 * @param checkValue what the request's check query returned (null when none)
 * @param assessment the post-recovery health assessment (null unless recovered, or when it failed)
 * @param message one sentence for a person
 */
public record PitrResult(
    PitrOutcome outcome,
    RecoveryPlan plan,
    GateOutcome gate,
    String stoppedAtLsn,
    String preservedDataDirectory,
    RecoveryPoint recoveryPoint,
    String checkValue,
    HealthAssessment assessment,
    String message) {}
