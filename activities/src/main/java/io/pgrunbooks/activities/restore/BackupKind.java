package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.crypto.ContainerFormat;
import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.DecryptionException;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.crypto.PayloadFormat;
import io.pgrunbooks.activities.crypto.WrongKeyException;
import io.pgrunbooks.activities.crypto.ZstdStreams;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * What a backup object is, from its first bytes opened with the key: the encryption (openssl or
 * OpenPGP), any compression layer inside it (the fast format's zstd, a gzipped script), and the
 * dump within (custom or tar archive for pg_restore, plain SQL for psql). Names and suffixes are
 * not trusted: {@code .sql.enc} holds custom-format dumps in the seed itself.
 *
 * @param container the encryption, e.g. OPENSSL or OPENPGP_BINARY
 * @param payload the dump inside every layer: POSTGRES_CUSTOM_DUMP, TAR or SQL_TEXT
 * @param description one line for a person
 */
record BackupKind(String container, String payload, String description) {
  /** Enough of the object to decrypt and decompress the dump's first 4 KiB. */
  static final int PROBE_BYTES = 1 << 20;

  private static final Set<PayloadFormat> DUMPS =
      Set.of(PayloadFormat.POSTGRES_CUSTOM_DUMP, PayloadFormat.TAR, PayloadFormat.SQL_TEXT);

  static BackupKind probe(byte[] head, KeyMaterial key, String objectKey, String keyRef) {
    try (DecryptedStream decrypted = EncryptedBackups.open(new ByteArrayInputStream(head), key)) {
      PayloadFormat outer = decrypted.payload();
      String layer = "";
      PayloadFormat inner = outer;
      if (outer == PayloadFormat.ZSTD) {
        inner = detect(ZstdStreams.decompress(decrypted));
        layer = ", zstd inside the encryption (fast format)";
      } else if (outer == PayloadFormat.GZIP) {
        inner = detect(new GZIPInputStream(decrypted));
        layer = ", gzip inside the encryption";
      }
      if (!DUMPS.contains(inner)) {
        throw ApplicationFailure.newNonRetryableFailure(
            objectKey + " decrypts to " + inner + (layer.isEmpty() ? "" : " (after" + layer + ")") + ", not a PostgreSQL dump",
            "CorruptBackup");
      }
      return new BackupKind(decrypted.container().name(), inner.name(), encryption(decrypted.container()) + layer + ", " + dump(inner));
    } catch (WrongKeyException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the key behind '" + keyRef + "' does not open " + objectKey + ": " + e.getMessage(), "WrongKey");
    } catch (DecryptionException e) {
      throw ApplicationFailure.newNonRetryableFailure(objectKey + " cannot be decrypted: " + e.getMessage(), "CorruptBackup");
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          objectKey + " is damaged or truncated at its start: " + e.getMessage(), "CorruptBackup");
    }
  }

  private static PayloadFormat detect(InputStream in) throws IOException {
    return PayloadFormat.detect(in.readNBytes(PayloadFormat.HEAD_LENGTH));
  }

  private static String encryption(ContainerFormat container) {
    return switch (container) {
      case OPENSSL -> "openssl AES-256-CBC";
      case OPENSSL_BASE64 -> "openssl AES-256-CBC, base64";
      case OPENPGP_BINARY -> "gpg (OpenPGP)";
      case OPENPGP_ARMORED -> "gpg (OpenPGP, armored)";
      case UNKNOWN -> "unknown encryption";
    };
  }

  private static String dump(PayloadFormat payload) {
    return switch (payload) {
      case POSTGRES_CUSTOM_DUMP -> "pg_dump custom format";
      case TAR -> "pg_dump tar format";
      default -> "plain SQL";
    };
  }
}
