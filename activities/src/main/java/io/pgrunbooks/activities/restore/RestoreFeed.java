package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.crypto.PayloadFormat;
import io.pgrunbooks.activities.crypto.ZstdStreams;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.workflows.restore.FoundBackup;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * A backup object as plaintext: store -> SHA-256 -> decryption -> (zstd or gzip undone). The
 * digest sees every encrypted byte, so after {@link #finish} a changed object is caught even
 * where CBC decryption cannot notice a damaged block.
 */
final class RestoreFeed implements AutoCloseable {
  private final FoundBackup backup;
  private final DigestInputStream raw;
  private final InputStream plaintext;
  private long fed;

  private RestoreFeed(FoundBackup backup, DigestInputStream raw, InputStream plaintext) {
    this.backup = backup;
    this.raw = raw;
    this.plaintext = plaintext;
  }

  static RestoreFeed open(ObjectStorage storage, FoundBackup backup, KeyMaterial key) throws IOException {
    DigestInputStream raw = new DigestInputStream(storage.get(backup.store(), backup.objectKey()), sha256());
    try {
      // Closing the plaintext must not close the download: the digest needs the rest of it.
      DecryptedStream decrypted = EncryptedBackups.open(new FilterInputStream(raw) {
        @Override
        public void close() {}
      }, key);
      InputStream plain = switch (decrypted.payload()) {
        case ZSTD -> ZstdStreams.decompress(decrypted);
        case GZIP -> new GZIPInputStream(decrypted, 64 * 1024);
        default -> decrypted;
      };
      return new RestoreFeed(backup, raw, plain);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * Copies the plaintext into a tool's stdin, reporting bytes as it goes. Returns false when the
   * tool stopped reading (it failed; its exit code and stderr say why).
   */
  boolean copyTo(OutputStream sink, LongConsumer progress) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = plaintext.read(buffer)) >= 0) {
      try {
        sink.write(buffer, 0, n);
      } catch (PlainSqlGuard.RefusedScript refused) {
        throw refused;
      } catch (IOException brokenPipe) {
        return false;
      }
      fed += n;
      progress.accept(fed);
    }
    try {
      sink.close();
    } catch (PlainSqlGuard.RefusedScript refused) {
      throw refused;
    } catch (IOException brokenPipe) {
      return false;
    }
    return true;
  }

  /** Reads what is left of the object and checks its SHA-256 against the manifest's, if any. */
  void finish() throws IOException {
    plaintext.transferTo(OutputStream.nullOutputStream());
    raw.transferTo(OutputStream.nullOutputStream());
    String sha = HexFormat.of().formatHex(raw.getMessageDigest().digest());
    if (backup.sha256() != null && !backup.sha256().equals(sha)) {
      throw new ChangedObject("the object's SHA-256 is " + sha + " but its manifest recorded " + backup.sha256()
          + ": it was damaged or replaced after the backup");
    }
  }

  long plaintextBytes() {
    return fed;
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }

  /** The object is not the one the manifest describes. */
  static final class ChangedObject extends IOException {
    ChangedObject(String message) {
      super(message);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
