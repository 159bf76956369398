package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncryptedBackupsTest {
  private static final String PASSPHRASE = "backup passphrase";
  private static final byte[] SALT = {8, 7, 6, 5, 4, 3, 2, 1};

  private static DecryptedStream open(byte[] encrypted, KeyMaterial key) throws IOException {
    return EncryptedBackups.open(new ByteArrayInputStream(encrypted), key);
  }

  @Test
  void opensOpensslFilesRawOrBase64AndSaysWhatTheyHold() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 1);
    for (String[] options : new String[][] {{}, {"-a"}}) {
      try (DecryptedStream in = open(Openssl.encrypt(dump, PASSPHRASE, 100_000, options), KeyMaterial.passphrase(PASSPHRASE))) {
        assertThat(in.container()).isEqualTo(options.length == 0 ? ContainerFormat.OPENSSL : ContainerFormat.OPENSSL_BASE64);
        assertThat(in.payload()).isEqualTo(PayloadFormat.POSTGRES_CUSTOM_DUMP);
        assertThat(in.keyId()).isEqualTo(KeyIds.ofPassphrase(PASSPHRASE));
        assertThat(in.readAllBytes()).as("payload() consumed nothing").isEqualTo(dump);
      }
    }
  }

  @Test
  void theFastFormatIsZstdInsideTheOpensslFormat() throws IOException {
    byte[] dump = TestBytes.sqlText(8 * 1024 * 1024);
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    try (OutputStream out = EncryptedBackups.encryptFast(encrypted, PASSPHRASE, 100_000)) {
      out.write(dump);
    }
    assertThat(encrypted.size()).isLessThan(dump.length / 5);
    try (DecryptedStream in = open(encrypted.toByteArray(), KeyMaterial.passphrase(PASSPHRASE))) {
      assertThat(in.payload()).isEqualTo(PayloadFormat.ZSTD);
      assertThat(ZstdStreams.decompress(in).readAllBytes()).isEqualTo(dump);
    }
    byte[] byOpensslAndZstd =
        Openssl.run(List.of("zstd", "-d", "-c"), Openssl.decrypt(encrypted.toByteArray(), PASSPHRASE, 100_000));
    assertThat(byOpensslAndZstd).as("openssl enc -d | zstd -d").isEqualTo(dump);
  }

  @Test
  void aWrongPassphraseIsCaughtFromTheFirstBytesNotAtTheEnd() {
    byte[] encrypted = Openssl.encrypt(TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 2), PASSPHRASE, 100_000);
    CountingInputStream counted = new CountingInputStream(encrypted);
    assertThatThrownBy(() -> EncryptedBackups.open(counted, KeyMaterial.passphrase("wrong")))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageStartingWith("wrong passphrase or PBKDF2 iteration count");
    assertThat(counted.read).as("bytes read before failing").isLessThan(200_000);
  }

  @Test
  void aWrongKeyThatPassesThePaddingCheckIsStillCaughtByThePayloadCheck() throws IOException {
    // With this salt and length, the wrong passphrase happens to decrypt to valid padding (1 in 256).
    byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
    byte[] encrypted = Openssl.encryptWithSalt(TestBytes.random(40, 1), "correct horse battery staple", 100_000, salt);
    KeyMaterial wrong = KeyMaterial.passphrase("Correct horse battery staple");
    try (DecryptedStream garbage = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), wrong)) {
      assertThat(garbage.readAllBytes()).as("openssl's format alone cannot tell").hasSizeBetween(25, 47);
    }
    assertThatThrownBy(() -> open(encrypted, wrong))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageStartingWith("wrong passphrase or PBKDF2 iteration count");
  }

  @Test
  void aWrongIterationCountIsCaughtTheSameWay() {
    byte[] encrypted = Openssl.encryptWithSalt(TestBytes.customDump(100, 3), PASSPHRASE, 100_000, SALT);
    assertThatThrownBy(() -> open(encrypted, KeyMaterial.passphrase(PASSPHRASE, 1000)))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("PBKDF2 iteration count");
  }

  @Test
  void openAnyPayloadLeavesThePayloadCheckToTheContainer() throws IOException {
    byte[] random = TestBytes.random(1000, 4);
    byte[] encrypted = Openssl.encrypt(random, PASSPHRASE, 1000);
    assertThatThrownBy(() -> open(encrypted, KeyMaterial.passphrase(PASSPHRASE, 1000)))
        .isInstanceOf(WrongKeyException.class);
    try (DecryptedStream in = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), KeyMaterial.passphrase(PASSPHRASE, 1000))) {
      assertThat(in.payload()).isEqualTo(PayloadFormat.UNKNOWN);
      assertThat(in.readAllBytes()).isEqualTo(random);
    }
  }

  @Test
  void anUnencryptedDumpIsNamedInsteadOfDecrypted() {
    assertThatThrownBy(() -> open(TestBytes.customDump(100, 5), KeyMaterial.passphrase(PASSPHRASE)))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("not encrypted")
        .hasMessageContaining("POSTGRES_CUSTOM_DUMP");
    assertThatThrownBy(() -> open(new byte[0], KeyMaterial.passphrase(PASSPHRASE)))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> open(TestBytes.random(100, 6), KeyMaterial.passphrase(PASSPHRASE)))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("not an encrypted backup");
  }

  @Test
  void anOpensslFileWithOnlyASecretKeyAsksForAPassphrase() {
    byte[] encrypted = Openssl.encrypt("SELECT 1;\n".getBytes(StandardCharsets.US_ASCII), PASSPHRASE, 1000);
    assertThatThrownBy(() -> open(encrypted, KeyMaterial.secretKeyRing(new byte[0], null)))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("needs a passphrase");
  }

  /** Counts what the decryption consumed. */
  private static final class CountingInputStream extends InputStream {
    private final ByteArrayInputStream in;
    long read;

    CountingInputStream(byte[] bytes) {
      this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() {
      int b = in.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = in.read(b, off, len);
      read += Math.max(n, 0);
      return n;
    }
  }
}
