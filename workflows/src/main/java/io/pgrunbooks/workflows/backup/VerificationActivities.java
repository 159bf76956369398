package io.pgrunbooks.workflows.backup;

import io.temporal.activity.ActivityInterface;

/** The steps of seed 003's "Verification Steps", made real: checksum, list, restore, compare, amcheck. */
@ActivityInterface
public interface VerificationActivities {

  /** Reads a run's metadata.json (or the latest pointer's) and the objects it lists. */
  BackupSet loadBackupSet(String target, String metadataKey);

  /**
   * Checks one object: size and SHA-256 as recorded, decrypts it, {@code pg_restore --list}, then
   * restores it into {@code scratchDatabase} (stopping at the first error), compares per-table row
   * counts with the manifest, runs {@code bt_index_check} on every B-tree index, stores the evidence
   * beside the object and drops the scratch database. Heartbeats its step.
   */
  ObjectVerification verifyObject(BackupSet set, BackupObject object, String scratchDatabase);

  /** Drops a scratch database left by a failed verification (idempotent). */
  void dropScratchDatabase(String target, String scratchDatabase);
}
