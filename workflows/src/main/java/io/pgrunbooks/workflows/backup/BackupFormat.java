package io.pgrunbooks.workflows.backup;

/** How a database's backup object is built. Restores detect it from the bytes, not from here. */
public enum BackupFormat {
  /**
   * The seed's object exactly: {@code pg_dump --format=custom --compress=6}, then {@code openssl enc
   * -aes-256-cbc -salt -pbkdf2 -iter 100000}. Anyone can restore it with openssl and pg_restore.
   */
  COMPATIBLE,
  /**
   * {@code pg_dump --format=custom --compress=0}, compressed with multi-threaded zstd (level 5)
   * before the same openssl encryption: about twice as fast as gzip 6 inside pg_dump, which is
   * single-threaded. {@code bin/pgrb decrypt --decompress} gives the plain custom-format dump back.
   */
  FAST
}
