package io.pgrunbooks.workflows.restore;

/** How the dump reaches pg_restore or psql. */
public enum RestoreMode {
  /** Streamed when small or short of disk, staged when large and the disk has room. */
  AUTO,
  /** Object store -> decryption -> pg_restore/psql stdin: no temporary disk, one job. */
  STREAMED,
  /** Decrypted to local disk first, then {@code pg_restore -j}: parallel, needs the dump's size in free disk. */
  STAGED
}
