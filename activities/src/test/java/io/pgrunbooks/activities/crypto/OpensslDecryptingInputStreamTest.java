package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpensslDecryptingInputStreamTest {
  private static final String PASSPHRASE = "correct horse battery staple";
  /**
   * A wrong key fails the padding check for about 255 salts in 256; this one was checked to fail
   * for every input below, so the tests are deterministic. (With {1, 2, ...} the 40-byte case
   * passes: see EncryptedBackupsTest.)
   */
  private static final byte[] SALT = {2, 2, 3, 4, 5, 6, 7, 8};

  private static byte[] decrypt(byte[] encrypted, String passphrase, int iterations) throws IOException {
    try (InputStream in = new OpensslDecryptingInputStream(new ByteArrayInputStream(encrypted), passphrase, iterations)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 15, 16, 17, 64 * 1024, TestBytes.MULTI_MEGABYTE})
  void readsWhatOpensslWroteAsTheSameBytes(int length) throws IOException {
    byte[] plain = TestBytes.random(length, length);
    assertThat(decrypt(Openssl.encrypt(plain, PASSPHRASE, 100_000), PASSPHRASE, 100_000)).isEqualTo(plain);
  }

  @Test
  void readsFilesMadeWithAnotherIterationCount() throws IOException {
    byte[] plain = TestBytes.random(100_000, 5);
    assertThat(decrypt(Openssl.encrypt(plain, PASSPHRASE, 10_000), PASSPHRASE, 10_000)).isEqualTo(plain);
  }

  @Test
  void readsByteByByteAsWellAsInChunks() throws IOException {
    byte[] plain = TestBytes.random(70_000, 9);
    byte[] encrypted = Openssl.encrypt(plain, PASSPHRASE, 1000);
    try (InputStream in = new OpensslDecryptingInputStream(new ByteArrayInputStream(encrypted), PASSPHRASE, 1000)) {
      byte[] read = new byte[plain.length];
      for (int i = 0; i < read.length; i++) {
        read[i] = (byte) in.read();
      }
      assertThat(read).isEqualTo(plain);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 40, TestBytes.MULTI_MEGABYTE})
  void aWrongPassphraseFailsWithWrongKeyInsteadOfEndingCleanly(int length) {
    byte[] encrypted = Openssl.encryptWithSalt(TestBytes.random(length, 1), PASSPHRASE, 100_000, SALT);
    assertThatThrownBy(() -> decrypt(encrypted, "Correct horse battery staple", 100_000))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageStartingWith("wrong passphrase or PBKDF2 iteration count:");
  }

  @Test
  void aWrongIterationCountFailsWithWrongKey() {
    byte[] encrypted = Openssl.encryptWithSalt(TestBytes.random(1000, 2), PASSPHRASE, 100_000, SALT);
    assertThatThrownBy(() -> decrypt(encrypted, PASSPHRASE, 10_000))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("wrong passphrase or PBKDF2 iteration count")
        .hasMessageContaining("tried 10000 iterations");
  }

  @Test
  void aTruncatedFileIsCorruptNotShorter() {
    byte[] encrypted = Openssl.encrypt(TestBytes.random(1000, 3), PASSPHRASE, 1000);
    byte[] truncated = Arrays.copyOf(encrypted, encrypted.length - 5);
    assertThatThrownBy(() -> decrypt(truncated, PASSPHRASE, 1000))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void aHeaderWithoutCiphertextIsCorrupt() {
    byte[] encrypted = Openssl.encrypt(new byte[0], PASSPHRASE, 1000);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(encrypted, 16), PASSPHRASE, 1000))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void inputWithoutTheSaltedHeaderIsRefused() {
    assertThatThrownBy(() -> decrypt(TestBytes.random(64, 4), PASSPHRASE, 1000))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("Salted__");
  }
}
