package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class PayloadFormatTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void customFormatDumpsStartWithPgdmp() {
    assertThat(PayloadFormat.detect(TestBytes.customDump(100, 1))).isEqualTo(PayloadFormat.POSTGRES_CUSTOM_DUMP);
  }

  @Test
  void zstdAndGzipAreToldByTheirMagic() throws IOException {
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    try (OutputStream out = ZstdStreams.compress(zstd)) {
      out.write(TestBytes.sqlText(1000));
    }
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gzip)) {
      out.write(TestBytes.sqlText(1000));
    }
    assertThat(PayloadFormat.detect(zstd.toByteArray())).isEqualTo(PayloadFormat.ZSTD);
    assertThat(PayloadFormat.detect(gzip.toByteArray())).isEqualTo(PayloadFormat.GZIP);
  }

  @Test
  void tarArchivesAreToldByUstarAtOffset257() {
    byte[] header = new byte[512];
    System.arraycopy(utf8("toc.dat"), 0, header, 0, 7);
    System.arraycopy(utf8("ustar"), 0, header, 257, 5);
    assertThat(PayloadFormat.detect(header)).isEqualTo(PayloadFormat.TAR);
  }

  @Test
  void plainDumpsAreUtf8TextEvenWhenTheHeadCutsACharacter() {
    assertThat(PayloadFormat.detect(utf8("--\n-- PostgreSQL database dump\n--\n\tSET x = 'é';\r\n"))).isEqualTo(PayloadFormat.SQL_TEXT);
    byte[] cut = utf8("INSERT INTO t VALUES ('é");
    assertThat(PayloadFormat.detect(Arrays.copyOf(cut, cut.length - 1))).isEqualTo(PayloadFormat.SQL_TEXT);
  }

  @Test
  void randomBytesAndControlCharactersAreUnknown() {
    for (int seed = 0; seed < 1000; seed++) {
      assertThat(PayloadFormat.detect(TestBytes.random(16, seed))).as("seed %d", seed).isEqualTo(PayloadFormat.UNKNOWN);
    }
    assertThat(PayloadFormat.detect(utf8("SELECT 1;\u0000"))).isEqualTo(PayloadFormat.UNKNOWN);
    assertThat(PayloadFormat.detect(new byte[] {(byte) 0xff, (byte) 0xfe, 'a'})).isEqualTo(PayloadFormat.UNKNOWN);
  }

  @Test
  void nothingIsEmptyAndKnown() {
    assertThat(PayloadFormat.detect(new byte[0])).isEqualTo(PayloadFormat.EMPTY);
    assertThat(PayloadFormat.EMPTY.isKnown()).isTrue();
    assertThat(PayloadFormat.UNKNOWN.isKnown()).isFalse();
  }
}
