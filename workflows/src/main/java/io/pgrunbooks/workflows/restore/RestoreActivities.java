package io.pgrunbooks.workflows.restore;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The steps of "From Automated Backups", each idempotent so that a retry on a new worker is safe. */
@ActivityInterface
public interface RestoreActivities {

  /**
   * The seed's "List available backups / Download latest backup": the newest backup of the
   * database (or the named object), opened far enough to tell its kind from its bytes and to
   * prove the key opens it.
   */
  @ActivityMethod
  FoundBackup findBackup(String target, String database, String objectKey, String keyRef);

  /** Streamed or staged, from the dump's size and the free disk of the staging directory. */
  @ActivityMethod
  RestoreMethod chooseMethod(String target, FoundBackup backup, RestoreMode requested);

  /**
   * "Restore database", into a new database: created afresh (a half-restored one left by a dead
   * attempt is dropped first), fed from the store through decryption, stopping at the first error.
   */
  @ActivityMethod
  RestoredDatabase restoreInto(String target, FoundBackup backup, RestoreMethod method, String newDatabase);

  /** "Verify restoration": row counts and newest created_at, against the backup's record. */
  @ActivityMethod
  RestoredDataCheck verifyRestored(String target, String restoredDatabase, FoundBackup backup);

  /**
   * Renames the live database to {@code preRestore} and the restored one into its place, in one
   * transaction, and says what it did. Idempotent: when the names are already swapped it does
   * nothing. When the live database no longer exists, the restored one just takes its name.
   */
  @ActivityMethod
  String swapDatabases(String target, String database, String restoredDatabase, String preRestore);

  /** Drops a restored database that was not swapped in (only names this workflow makes). */
  @ActivityMethod
  void dropRestoredDatabase(String target, String restoredDatabase);

  /** A database a restore left behind (old or unswapped copy): its size and sessions. */
  @ActivityMethod
  LeftoverDatabase describeLeftover(String target, String database);

  /** Drops it ({@code WITH (FORCE)}); only names a restore makes; done when it is already gone. */
  @ActivityMethod
  void dropLeftover(String target, String database);
}
