package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyIdsTest {
  @Test
  void aPassphrasesIdIsPbkdf2WithTheFixedSaltAsOpensslComputesIt() {
    String passphrase = "s3cret pässword";
    String openssl =
        new String(
                Openssl.run(
                    List.of(
                        "openssl", "kdf", "-keylen", "8", "-kdfopt", "digest:SHA256", "-kdfopt", "hexpass:"
                            + HexFormat.of().formatHex(passphrase.getBytes(StandardCharsets.UTF_8)),
                        "-kdfopt", "salt:pg-runbooks key id", "-kdfopt", "iter:100000", "PBKDF2"),
                    new byte[0]))
            .strip()
            .replace(":", "")
            .toLowerCase();
    assertThat(KeyIds.ofPassphrase(passphrase)).isEqualTo(openssl).isEqualTo("436a9bded01c8a75");
  }

  @Test
  void theSamePassphraseAlwaysHasTheSameIdAndOthersAnother() {
    assertThat(KeyIds.ofPassphrase("one")).isEqualTo(KeyIds.ofPassphrase("one")).hasSize(16);
    assertThat(KeyIds.ofPassphrase("one")).isNotEqualTo(KeyIds.ofPassphrase("two"));
    assertThat(KeyIds.ofPassphrase("one")).isNotEqualTo(KeyIds.ofPassphrase("one "));
  }

  @Test
  void anOpenPgpKeyIdIsPrintedAsGpgPrintsIt() {
    assertThat(KeyIds.ofOpenPgpKey(0xC7F67219E490D644L)).isEqualTo("C7F67219E490D644");
    assertThat(KeyIds.ofOpenPgpKey(0x00000000000000ABL)).isEqualTo("00000000000000AB");
  }
}
