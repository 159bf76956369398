package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.ScenarioGates;
import io.pgrunbooks.workflows.common.FailureMessages;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Supplier;

/**
 * Scenario 5's two changes, each behind its gate, after the key's check ({@link KeyCheck}):
 *
 * <ul>
 *   <li>{@link RespondToBackupFailureWorkflow#CREATE_KEY_GATE}: the key-ref resolves to nothing and a
 *       run can write it ({@code file:} or {@code k8s:}): a new random key is written there. Backups
 *       made with the missing key stay unopenable until that passphrase is found again: a finding.
 *   <li>{@link RespondToBackupFailureWorkflow#ROTATE_KEY_GATE}: on request ({@link
 *       BackupFailureRequest#rotateKey()}), a working key is kept as {@code <key-ref>.<key id>}, read
 *       back, and replaced by a new random key; every backup stays openable by its key id.
 * </ul>
 *
 * After either, the key and the keyring (every backup run's key id) are checked again. An {@code
 * env:} reference cannot be written: a finding says what a person must do instead, and no gate is
 * offered. A working key with no rotation requested costs nothing here: no activity, no gate.
 * Passphrases never reach the workflow: only references and key ids.
 */
final class EncryptionKeyRepair {
  /**
   * How the step ended.
   *
   * @param key the key as last checked
   * @param stoppedWith how the run must end (REJECTED, FAILED), null when it goes on
   * @param reason why it ends (the refusal, the failure), null when it goes on
   */
  record Outcome(KeyCheck key, BackupFailureStatus stoppedWith, String reason) {
    static Outcome goOn(KeyCheck key) {
      return new Outcome(key, null, null);
    }
  }

  private final BackupFailureActivities checks =
      Workflow.newActivityStub(BackupFailureActivities.class, BackupFailureTimeouts.QUICK);
  private final KeyRotationActivities keys =
      Workflow.newActivityStub(KeyRotationActivities.class, BackupFailureTimeouts.QUICK);
  private final ScenarioGates gates;
  private final List<String> plan;
  private final List<String> actions;
  private final List<String> rechecks;
  private final List<String> findings;

  /** The run's gates and its lists, added to in order. */
  EncryptionKeyRepair(ScenarioGates gates, List<String> plan, List<String> actions, List<String> rechecks, List<String> findings) {
    this.gates = gates;
    this.plan = plan;
    this.actions = actions;
    this.rechecks = rechecks;
    this.findings = findings;
  }

  /** After the check {@code key}: a finding, or a gated change and its re-check; the dry run only plans. */
  Outcome resolve(BackupFailureRequest request, KeyCheck key) {
    if (key.ok() && !request.rotatesKey()) {
      return Outcome.goOn(key);
    }
    if (key.creatable()) {
      if (request.rotatesKey()) {
        findings.add("rotateKey: there is no key to rotate at " + key.keyRef() + "; the create-backup-key step writes a new one instead");
      }
      return create(request, key);
    }
    if (!key.ok()) {
      findings.add("encryption key: " + key.problem()
          + (key.keyRef() != null && !key.resolves() ? "; the run cannot write a new key there: " + key.writeProblem() : ""));
      if (request.rotatesKey()) {
        findings.add("rotateKey: not done: the current key does not work; repair it first");
      }
      return Outcome.goOn(key);
    }
    return rotate(request, key);
  }

  private Outcome create(BackupFailureRequest request, KeyCheck key) {
    String ref = key.keyRef();
    findings.add("encryption key: " + key.problem());
    plan.add("gate " + RespondToBackupFailureWorkflow.CREATE_KEY_GATE + ": wait for approval; write a new random 256-bit key to "
        + ref + "; re-check the key and which backups no key opens");
    if (request.dryRun()) {
      return Outcome.goOn(key);
    }
    Outcome outcome = gated(key, request.target(), RespondToBackupFailureWorkflow.CREATE_KEY_GATE,
        "write a new random 256-bit passphrase (44 base64 characters" + (ref.startsWith("file:") ? ", a new file with owner-only"
            + " permissions 0600" : "") + ") to " + ref + ", the backup key-ref of target " + request.target()
            + ", where nothing resolves now; the passphrase is never shown, logged or kept in the run's history",
        "backups cannot be encrypted: " + key.problem() + "; backups made with the missing key stay unopenable unless that"
            + " passphrase is found again",
        "Writing a new encryption key to " + ref, () -> keys.createBackupKey(request.target()), "after creating the key");
    if (outcome.stoppedWith() == null) {
      findings.add("encryption key: a new key was written to " + ref + ": backups made with the missing key (a key id no configured"
          + " or archived key has) cannot be restored unless that passphrase is found and its reference added to"
          + " pgrunbooks.targets." + request.target() + ".backup.previous-key-refs");
    }
    return outcome;
  }

  private Outcome rotate(BackupFailureRequest request, KeyCheck key) {
    String ref = key.keyRef();
    if (key.writeProblem() != null || key.archiveRef() == null) {
      findings.add("rotateKey: not done: " + (key.writeProblem() != null ? key.writeProblem() : "no archive reference for " + ref));
      return Outcome.goOn(key);
    }
    plan.add("gate " + RespondToBackupFailureWorkflow.ROTATE_KEY_GATE + ": wait for approval; keep key id " + key.keyId() + " at "
        + key.archiveRef() + " and read it back; write a new random 256-bit key to " + ref + "; re-check the key and every backup's key");
    if (request.dryRun()) {
      return Outcome.goOn(key);
    }
    return gated(key, request.target(), RespondToBackupFailureWorkflow.ROTATE_KEY_GATE,
        "copy the passphrase of " + ref + " (key id " + key.keyId() + ") to " + key.archiveRef() + " and read it back, then replace"
            + " the passphrase at " + ref + " with a new random 256-bit one; backups with key id " + key.keyId() + " stay openable"
            + " through " + key.archiveRef() + "; no passphrase is shown, logged or kept in the run's history",
        "key rotation requested by " + request.requestedBy() + " (the seed: rotate the encryption key if needed, coordinated"
            + " with the security team); new backups will use the new key",
        "Rotating the encryption key at " + ref, () -> keys.rotateBackupKey(request.target(), key.keyId()), "after rotating the key");
  }

  /**
   * Opens {@code gateId}; once approved, makes the change ({@code step}, in words in the actions) and
   * re-checks. A refusal or a failed change ends the run and changes nothing more.
   */
  private Outcome gated(
      KeyCheck key, String target, String gateId, String action, String why, String doing, Supplier<String> step, String after) {
    GateOutcome decision = gates.ask(gateId, action, target, why);
    if (!decision.approved()) {
      return new Outcome(key, BackupFailureStatus.REJECTED, decision.refusal());
    }
    RunProgress.enter(gateId, doing);
    try {
      actions.add(step.get());
    } catch (TemporalFailure e) {
      return new Outcome(key, BackupFailureStatus.FAILED, doing + " failed: " + FailureMessages.rootMessage(e));
    }
    return recheck(target, after);
  }

  /** The key's check and the keyring's (every backup run's key id) after a change. */
  private Outcome recheck(String target, String after) {
    KeyCheck now = checks.checkEncryptionKey(target);
    rechecks.add(after + ": " + now.describe());
    BackupKeyCheck ring = keys.checkBackupKey(target);
    int runs = ring.runsByKeyId().values().stream().mapToInt(Integer::intValue).sum();
    rechecks.add(after + ", the backups' keys: " + (ring.unopenableRuns().isEmpty()
        ? "each of the " + runs + " backup run(s) in the store opens with a key of the keyring (" + ring.keyring().size() + " key(s))"
        : ring.unopenableRuns().size() + " of the " + runs + " backup run(s) in the store no key opens: " + ring.unopenableRuns()));
    if (!ring.healthy()) {
      ring.findings().forEach(f -> findings.add("encryption key: " + f));
    }
    return Outcome.goOn(now);
  }
}
