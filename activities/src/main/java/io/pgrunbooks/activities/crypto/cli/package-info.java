/** {@code pgrb}: decrypting and encrypting backups by hand on a bad day, with the activities' own code. */
package io.pgrunbooks.activities.crypto.cli;
