package io.pgrunbooks.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against files written by the real gpg (2.2 here), as the restore runbook's backups were. */
class OpenPgpDecryptionTest {
  private static final String PASSPHRASE = "backup passphrase";
  private static final String KEY_PASSPHRASE = "key passphrase";

  @TempDir static Path home;
  static Gpg gpg;
  static String aliceKeyId;
  static String bobKeyId;

  @BeforeAll
  static void generateKeys() {
    gpg = new Gpg(home);
    aliceKeyId = gpg.generateKey("alice@example.org", "future-default", KEY_PASSPHRASE); // cv25519, protected
    bobKeyId = gpg.generateKey("bob@example.org", "rsa2048", ""); // RSA, unprotected
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  private static byte[] decrypt(byte[] encrypted, KeyMaterial key) throws IOException {
    try (InputStream in = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), key)) {
      return in.readAllBytes();
    }
  }

  private static KeyMaterial aliceKey(boolean armor) {
    return KeyMaterial.secretKeyRing(gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, armor), KEY_PASSPHRASE);
  }

  @ParameterizedTest(name = "{0} bytes, armor {1}, {2}")
  @CsvSource({
    "0, false, --compress-algo=zlib",
    "17, true, --compress-algo=zlib",
    "5242880, false, --compress-algo=zlib",
    "5242880, true, --compress-algo=none",
    "100000, false, --compress-algo=bzip2",
    "100000, false, --cipher-algo=CAST5",
  })
  void readsGpgSymmetricFilesByteForByte(int length, boolean armor, String option) throws IOException {
    byte[] plain = TestBytes.random(length, length);
    byte[] encrypted =
        armor
            ? gpg.encryptSymmetric(plain, PASSPHRASE, option, "--armor")
            : gpg.encryptSymmetric(plain, PASSPHRASE, option);
    assertThat(ContainerFormat.detect(encrypted))
        .isEqualTo(armor ? ContainerFormat.OPENPGP_ARMORED : ContainerFormat.OPENPGP_BINARY);
    assertThat(decrypt(encrypted, KeyMaterial.passphrase(PASSPHRASE))).isEqualTo(plain);
  }

  @ParameterizedTest(name = "{0} bytes, message armor {1}, key armor {2}")
  @CsvSource({"1, false, false", "1000, true, true", "5242880, false, true", "5242880, true, false"})
  void readsFilesEncryptedForAProtectedCurve25519Key(int length, boolean armor, boolean keyArmor) throws IOException {
    byte[] plain = TestBytes.random(length, length + 1);
    byte[] encrypted =
        armor ? gpg.encryptFor(plain, "alice@example.org", "--armor") : gpg.encryptFor(plain, "alice@example.org");
    try (DecryptedStream in = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), aliceKey(keyArmor))) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
      assertThat(in.keyId()).isEqualTo(aliceKeyId);
    }
  }

  @Test
  void readsFilesEncryptedForAnUnprotectedRsaKey() throws IOException {
    byte[] plain = TestBytes.random(TestBytes.MULTI_MEGABYTE, 8);
    byte[] encrypted = gpg.encryptFor(plain, "bob@example.org");
    KeyMaterial bob = KeyMaterial.secretKeyRing(gpg.exportSecretKeys("bob@example.org", "", false), null);
    assertThat(decrypt(encrypted, bob)).isEqualTo(plain);
  }

  @Test
  void findsTheKeyOfAHiddenRecipient() throws IOException {
    byte[] plain = TestBytes.random(1000, 9);
    byte[] encrypted = gpg.encryptFor(plain, "alice@example.org", "--throw-keyids");
    assertThat(decrypt(encrypted, aliceKey(false))).isEqualTo(plain);
  }

  @Test
  void usesTheSecretKeyWhenAPassphraseIsAlsoGiven() throws IOException {
    byte[] plain = TestBytes.random(1000, 10);
    byte[] encrypted = gpg.encryptFor(plain, "alice@example.org");
    KeyMaterial both =
        new KeyMaterial("unrelated", 100_000, gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, false), KEY_PASSPHRASE);
    assertThat(decrypt(encrypted, both)).isEqualTo(plain);
  }

  @Test
  void aWrongPassphraseFailsBeforeAnyPlaintext() {
    byte[] encrypted = gpg.encryptSymmetric(TestBytes.random(TestBytes.MULTI_MEGABYTE, 11), PASSPHRASE);
    assertThatThrownBy(() -> EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), KeyMaterial.passphrase("wrong")))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("wrong passphrase");
  }

  @Test
  void theWrongSecretKeyFailsBeforeAnyPlaintextAndNamesBothKeys() {
    byte[] encrypted = gpg.encryptFor(TestBytes.random(1000, 12), "alice@example.org");
    KeyMaterial bob = KeyMaterial.secretKeyRing(gpg.exportSecretKeys("bob@example.org", "", false), null);
    assertThatThrownBy(() -> EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), bob))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("encrypted for OpenPGP key " + aliceKeyId)
        .hasMessageContaining(bobKeyId);
  }

  @Test
  void aWrongPassphraseForTheSecretKeyFails() {
    byte[] encrypted = gpg.encryptFor(TestBytes.random(1000, 13), "alice@example.org");
    KeyMaterial wrong = KeyMaterial.secretKeyRing(gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, false), "wrong");
    assertThatThrownBy(() -> EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), wrong))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("wrong passphrase for secret key " + aliceKeyId);
  }

  @Test
  void aProtectedSecretKeyWithoutItsPassphraseFails() {
    byte[] encrypted = gpg.encryptFor(TestBytes.random(1000, 14), "alice@example.org");
    KeyMaterial none = KeyMaterial.secretKeyRing(gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, false), null);
    assertThatThrownBy(() -> EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), none))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("protected by a passphrase and none was given");
  }

  @Test
  void aPublicKeyFileInsteadOfASecretKeyIsNamedAsSuch() {
    byte[] encrypted = gpg.encryptFor(TestBytes.random(1000, 15), "alice@example.org");
    byte[] publicKey = Openssl.run(List.of("gpg", "--homedir", home.toString(), "--batch", "--export", "alice@example.org"), new byte[0]);
    assertThatThrownBy(() -> EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), KeyMaterial.secretKeyRing(publicKey, null)))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("secret key");
  }

  @Test
  void aModifiedFileFailsTheIntegrityCheckAtTheEnd() throws IOException {
    byte[] plain = TestBytes.random(1_000_000, 16);
    byte[] encrypted = gpg.encryptSymmetric(plain, PASSPHRASE, "--compress-algo=none");
    encrypted[encrypted.length / 2] ^= 0x01;
    try (InputStream in = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted), KeyMaterial.passphrase(PASSPHRASE))) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isInstanceOf(CorruptInputException.class)
          .hasMessageContaining("integrity check (MDC) failed");
    }
  }

  @Test
  void aTruncatedFileFailsInsteadOfEndingCleanly() {
    byte[] encrypted = gpg.encryptSymmetric(TestBytes.random(1_000_000, 17), PASSPHRASE, "--compress-algo=none");
    byte[] truncated = Arrays.copyOf(encrypted, encrypted.length - 100);
    assertThatThrownBy(() -> decrypt(truncated, KeyMaterial.passphrase(PASSPHRASE))).isInstanceOf(IOException.class);
  }

  @Test
  void aMessageWithoutIntegrityProtectionIsRefusedBeforeDecrypting() throws Exception {
    // gpg 2.2 no longer writes these; Bouncy Castle still can, as old PGP versions did.
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    PGPEncryptedDataGenerator generator =
        new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                .setWithIntegrityPacket(false)
                .setSecureRandom(new SecureRandom()));
    generator.addMethod(new BcPBEKeyEncryptionMethodGenerator(PASSPHRASE.toCharArray()));
    try (OutputStream encrypting = generator.open(encrypted, new byte[4096]);
        OutputStream literal =
            new PGPLiteralDataGenerator().open(encrypting, PGPLiteralData.BINARY, "dump", new Date(), new byte[4096])) {
      literal.write(TestBytes.customDump(1000, 18));
    }
    assertThatThrownBy(() -> decrypt(encrypted.toByteArray(), KeyMaterial.passphrase(PASSPHRASE)))
        .isInstanceOf(CorruptInputException.class)
        .hasMessageContaining("no integrity protection");
  }
}
