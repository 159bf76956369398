package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZstdStreamsTest {
  private static byte[] compress(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = ZstdStreams.compress(compressed)) {
      for (int offset = 0; offset < plain.length; offset += 100_000) {
        out.write(plain, offset, Math.min(100_000, plain.length - offset));
      }
    }
    return compressed.toByteArray();
  }

  private static byte[] decompress(byte[] compressed) throws IOException {
    try (InputStream in = ZstdStreams.decompress(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripsAMultiMegabyteDumpAndShrinksIt() throws IOException {
    byte[] plain = TestBytes.sqlText(20 * 1024 * 1024);
    byte[] compressed = compress(plain);
    assertThat(compressed.length).isLessThan(plain.length / 5);
    assertThat(decompress(compressed)).isEqualTo(plain);
  }

  @Test
  void roundTripsNothingAndIncompressibleBytes() throws IOException {
    assertThat(decompress(compress(new byte[0]))).isEmpty();
    byte[] random = TestBytes.random(3_000_000, 1);
    assertThat(decompress(compress(random))).isEqualTo(random);
  }

  @Test
  void theZstdCommandReadsWhatItWrites() throws IOException {
    byte[] plain = TestBytes.sqlText(3_000_000);
    assertThat(Openssl.run(List.of("zstd", "-d", "-c"), compress(plain))).isEqualTo(plain);
  }

  @Test
  void readsWhatTheMultiThreadedZstdCommandWrites() throws IOException {
    byte[] plain = TestBytes.sqlText(3_000_000);
    assertThat(decompress(Openssl.run(List.of("zstd", "-T2", "-3", "-c"), plain))).isEqualTo(plain);
  }

  @Test
  void aDamagedFrameFailsInsteadOfEndingCleanly() throws IOException {
    byte[] compressed = compress(TestBytes.sqlText(1_000_000));
    compressed[compressed.length / 2] ^= 0x55;
    assertThatThrownBy(() -> decompress(compressed)).isInstanceOf(IOException.class);
  }
}
