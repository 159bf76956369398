/**
 * Encryption of backups: openssl {@code enc} and OpenPGP streams, zstd, format detection from the
 * bytes, and passphrase key ids, shared by the backup activities and the {@code pgrb} command.
 */
package io.pgrunbooks.activities.crypto;
