package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContainerFormatTest {
  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void opensslOutputIsToldByItsSaltedHeader() {
    assertThat(ContainerFormat.detect(Openssl.encrypt(new byte[5], "p", 1000))).isEqualTo(ContainerFormat.OPENSSL);
    assertThat(ContainerFormat.detect(Openssl.encrypt(new byte[5], "p", 1000, "-a")))
        .isEqualTo(ContainerFormat.OPENSSL_BASE64);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  @Test
  void openPgpIsToldByTheFirstPacketsTagAndVersion() {
    assertThat(ContainerFormat.detect(bytes(0x8c, 0x0d, 0x04, 0x07))).as("old-format SKESK v4").isEqualTo(ContainerFormat.OPENPGP_BINARY);
    assertThat(ContainerFormat.detect(bytes(0x85, 0x01, 0x0c, 0x03))).as("old-format PKESK v3").isEqualTo(ContainerFormat.OPENPGP_BINARY);
    assertThat(ContainerFormat.detect(bytes(0xc1, 0x5e, 0x03))).as("new-format PKESK v3").isEqualTo(ContainerFormat.OPENPGP_BINARY);
    assertThat(ContainerFormat.detect(bytes(0xc3, 0xc0, 0x10, 0x06))).as("new-format SKESK v6, 2-byte length").isEqualTo(ContainerFormat.OPENPGP_BINARY);
    assertThat(ContainerFormat.detect(bytes(0xa8, 0x03, 'P', 'G', 'P'))).as("marker").isEqualTo(ContainerFormat.OPENPGP_BINARY);
  }

  @Test
  void aSessionKeyTagWithAnImpossibleVersionIsNotOpenPgp() {
    assertThat(ContainerFormat.detect(bytes(0x8c, 0x0d, 0x09))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(bytes(0x85, 0x01, 0x0c, 0x01))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(bytes(0xa8, 0x03, 'X', 'Y', 'Z'))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(bytes(0x8c))).isEqualTo(ContainerFormat.UNKNOWN);
  }

  @Test
  void openPgpPacketsThatAreNotEncryptionAreNotMistakenForIt() {
    assertThat(ContainerFormat.detect(bytes(0xa3, 0x01, 0x78))).as("compressed data").isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(bytes(0x99, 0x01, 0x0d, 0x04))).as("public key").isEqualTo(ContainerFormat.UNKNOWN);
  }

  @Test
  void armorIsFoundAfterBlankLinesOrAByteOrderMark() {
    assertThat(ContainerFormat.detect(ascii("-----BEGIN PGP MESSAGE-----\n\nhQ"))).isEqualTo(ContainerFormat.OPENPGP_ARMORED);
    assertThat(ContainerFormat.detect(ascii("\r\n  -----BEGIN PGP MESSAGE-----\n"))).isEqualTo(ContainerFormat.OPENPGP_ARMORED);
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '-', '-', '-', '-', '-', 'B', 'E', 'G', 'I', 'N', ' ', 'P', 'G', 'P',
        ' ', 'M', 'E', 'S', 'S', 'A', 'G', 'E', '-', '-', '-', '-', '-'};
    assertThat(ContainerFormat.detect(bom)).isEqualTo(ContainerFormat.OPENPGP_ARMORED);
    assertThat(ContainerFormat.detect(ascii("-----BEGIN PGP PUBLIC KEY BLOCK-----"))).isEqualTo(ContainerFormat.UNKNOWN);
  }

  @Test
  void plaintextAndShortInputAreUnknown() {
    assertThat(ContainerFormat.detect(ascii("PGDMP\u0001\u000e"))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(ascii("--\n-- PostgreSQL database dump\n"))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(ascii("Salted_"))).isEqualTo(ContainerFormat.UNKNOWN);
    assertThat(ContainerFormat.detect(new byte[0])).isEqualTo(ContainerFormat.UNKNOWN);
  }
}
