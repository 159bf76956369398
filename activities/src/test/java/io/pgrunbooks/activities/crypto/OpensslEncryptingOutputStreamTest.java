package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpensslEncryptingOutputStreamTest {
  private static final String PASSPHRASE = "correct horse battery staple";

  private static byte[] encrypt(byte[] plain, int iterations) throws IOException {
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    try (OutputStream out = new OpensslEncryptingOutputStream(encrypted, PASSPHRASE, iterations)) {
      out.write(plain);
    }
    return encrypted.toByteArray();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 15, 16, 17, 64 * 1024, TestBytes.MULTI_MEGABYTE})
  void opensslDecryptsWhatItWritesToTheSameBytes(int length) throws IOException {
    byte[] plain = TestBytes.random(length, length);
    byte[] encrypted = encrypt(plain, 100_000);
    assertThat(encrypted).hasSize(16 + (length / 16 + 1) * 16);
    assertThat(Openssl.decrypt(encrypted, PASSPHRASE, 100_000)).isEqualTo(plain);
  }

  @Test
  void usesTheIterationCountItIsGiven() throws IOException {
    byte[] plain = TestBytes.random(1000, 7);
    assertThat(Openssl.decrypt(encrypt(plain, 20_000), PASSPHRASE, 20_000)).isEqualTo(plain);
  }

  @Test
  void startsWithSaltedHeaderAndAFreshSaltEachTime() throws IOException {
    byte[] first = encrypt(new byte[10], 1000);
    byte[] second = encrypt(new byte[10], 1000);
    assertThat(Arrays.copyOf(first, 8)).asString().isEqualTo("Salted__");
    assertThat(Arrays.copyOfRange(first, 8, 16)).isNotEqualTo(Arrays.copyOfRange(second, 8, 16));
  }

  @Test
  void writesOfAnySizeAndFlushesInBetweenGiveTheSameFile() throws IOException {
    byte[] plain = TestBytes.random(300_000, 11);
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    Random sizes = new Random(3);
    try (OutputStream out = new OpensslEncryptingOutputStream(encrypted, PASSPHRASE, 1000)) {
      int offset = 0;
      while (offset < plain.length) {
        int n = Math.min(plain.length - offset, sizes.nextBoolean() ? 1 : sizes.nextInt(100_000));
        if (n == 1) {
          out.write(plain[offset]);
        } else {
          out.write(plain, offset, n);
        }
        offset += n;
        if (sizes.nextInt(10) == 0) {
          out.flush();
        }
      }
    }
    assertThat(Openssl.decrypt(encrypted.toByteArray(), PASSPHRASE, 1000)).isEqualTo(plain);
  }

  @Test
  void encodesThePassphraseAsUtf8LikeOpenssl() throws IOException {
    String passphrase = "pässwörd ✓";
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    try (OutputStream out = new OpensslEncryptingOutputStream(encrypted, passphrase, 1000)) {
      out.write(TestBytes.random(100, 1));
    }
    assertThat(Openssl.decrypt(encrypted.toByteArray(), passphrase, 1000)).isEqualTo(TestBytes.random(100, 1));
  }
}
