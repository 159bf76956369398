package io.pgrunbooks.activities.crypto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.crypto.Gpg;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.crypto.Openssl;
import io.pgrunbooks.activities.crypto.TestBytes;
import io.pgrunbooks.activities.crypto.ZstdStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgrbTest {
  private static final String PASSPHRASE = "backup passphrase";
  private static final String KEY_PASSPHRASE = "key passphrase";

  @TempDir static Path gpgHome;
  static Gpg gpg;
  static String aliceKeyId;

  @TempDir Path dir;
  final Map<String, String> environment = new HashMap<>(Map.of("BACKUP_KEY", PASSPHRASE, "GPG_KEY_PASS", KEY_PASSPHRASE));
  byte[] stdin = new byte[0];
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  Path out;

  @BeforeAll
  static void generateKey() {
    gpg = new Gpg(gpgHome);
    aliceKeyId = gpg.generateKey("alice@example.org", "future-default", KEY_PASSPHRASE);
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  @BeforeEach
  void outputFile() {
    out = dir.resolve("out").resolve("restored.dump");
  }

  private int pgrb(String... args) throws IOException {
    Files.createDirectories(out.getParent());
    return Pgrb.run(
        args,
        new ByteArrayInputStream(stdin),
        stdout,
        new PrintStream(stderr, true, StandardCharsets.UTF_8),
        environment::get);
  }

  private String stderr() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private List<Path> leftInOutputDirectory() throws IOException {
    try (Stream<Path> files = Files.list(out.getParent())) {
      return files.toList();
    }
  }

  @Test
  void decryptsTheRunbooksOpensslFileIntoTheOutputFile() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 1);
    Path in = file("db.dump.enc", Openssl.encrypt(dump, PASSPHRASE, 100_000));

    int exit = pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dump);
    assertThat(leftInOutputDirectory()).containsExactly(out);
    assertThat(stderr()).contains("decrypted OPENSSL (POSTGRES_CUSTOM_DUMP)");
  }

  @Test
  void readsThePassphraseFromTheFirstLineOfAFileAndHonoursIterations() throws IOException {
    byte[] dump = TestBytes.customDump(5000, 2);
    Path in = file("db.dump.enc", Openssl.encrypt(dump, PASSPHRASE, 20_000));
    Path passphraseFile = file("passphrase", (PASSPHRASE + "\nsecond line\n").getBytes(StandardCharsets.UTF_8));

    int exit =
        pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-file", passphraseFile.toString(),
            "--iterations", "20000");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dump);
  }

  @Test
  void aWrongPassphraseExitsOneAndLeavesNoFile() throws IOException {
    Path in = file("db.dump.enc", Openssl.encrypt(TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 3), PASSPHRASE, 100_000));
    environment.put("BACKUP_KEY", "wrong");

    int exit = pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("wrong passphrase or PBKDF2 iteration count");
    assertThat(leftInOutputDirectory()).as("no partial or temporary file").isEmpty();
  }

  @Test
  void aWrongIterationCountExitsOneAndLeavesNoFile() throws IOException {
    Path in = file("db.dump.enc", Openssl.encrypt(TestBytes.customDump(100_000, 4), PASSPHRASE, 100_000));

    int exit =
        pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY", "--iterations", "10000");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("wrong passphrase or PBKDF2 iteration count").contains("tried 10000 iterations");
    assertThat(leftInOutputDirectory()).isEmpty();
  }

  @Test
  void aDamagedFileThatFailsOnlyAtTheEndLeavesNoFile() throws IOException {
    byte[] encrypted = gpg.encryptSymmetric(TestBytes.customDump(1_000_000, 5), PASSPHRASE, "--compress-algo=none");
    encrypted[encrypted.length - 10] ^= 0x01;
    Path in = file("db.dump.gpg", encrypted);

    int exit = pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("integrity check (MDC) failed");
    assertThat(leftInOutputDirectory()).isEmpty();
  }

  @Test
  void decryptsGpgSymmetricFilesWithThePassphrase() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 6);
    Path in = file("db.dump.asc", gpg.encryptSymmetric(dump, PASSPHRASE, "--armor"));

    int exit = pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dump);
  }

  @Test
  void decryptsGpgPublicKeyFilesWithAProtectedSecretKeyFile() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 7);
    Path in = file("db.dump.gpg", gpg.encryptFor(dump, "alice@example.org"));
    Path secretKey = file("alice.asc", gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, true));

    int exit =
        pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--secret-key-file", secretKey.toString(),
            "--secret-key-passphrase-env", "GPG_KEY_PASS");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dump);
  }

  @Test
  void aWrongSecretKeyPassphraseExitsOneAndLeavesNoFile() throws IOException {
    Path in = file("db.dump.gpg", gpg.encryptFor(TestBytes.customDump(1000, 8), "alice@example.org"));
    Path secretKey = file("alice.gpg", gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, false));
    environment.put("GPG_KEY_PASS", "wrong");

    int exit =
        pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--secret-key-file", secretKey.toString(),
            "--secret-key-passphrase-env", "GPG_KEY_PASS");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("wrong passphrase for secret key " + aliceKeyId);
    assertThat(leftInOutputDirectory()).isEmpty();
  }

  @Test
  void aGpgFileWithTheWrongPassphraseExitsOne() throws IOException {
    Path in = file("db.dump.gpg", gpg.encryptSymmetric(TestBytes.customDump(1000, 9), PASSPHRASE));
    environment.put("BACKUP_KEY", "wrong");

    int exit = pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("wrong passphrase");
    assertThat(leftInOutputDirectory()).isEmpty();
  }

  @Test
  void toStandardOutputAWrongKeyIsRefusedBeforeAnyByteIsWritten() throws IOException {
    stdin = Openssl.encrypt(TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 10), PASSPHRASE, 100_000);
    environment.put("BACKUP_KEY", "wrong");

    int exit = pgrb("decrypt", "--in", "-", "--out", "-", "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).isEqualTo(1);
    assertThat(stdout.size()).as("bytes on standard output").isZero();
    assertThat(stderr()).contains("wrong passphrase or PBKDF2 iteration count");
  }

  @Test
  void toStandardOutputTheRightKeyStreamsThePlaintext() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 11);
    stdin = Openssl.encrypt(dump, PASSPHRASE, 100_000);

    int exit = pgrb("decrypt", "--in", "-", "--out", "-", "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).as(stderr()).isZero();
    assertThat(stdout.toByteArray()).isEqualTo(dump);
  }

  @Test
  void decompressUndoesTheFastFormatsZstdLayer() throws IOException {
    byte[] dump = TestBytes.sqlText(4 * 1024 * 1024);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream zstd = ZstdStreams.compress(compressed)) {
      zstd.write(dump);
    }
    Path in = file("db.dump.zst.enc", Openssl.encrypt(compressed.toByteArray(), PASSPHRASE, 100_000));

    int exit =
        pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY", "--decompress");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dump);
    assertThat(stderr()).contains("(ZSTD, decompressed)");
  }

  @Test
  void encryptWritesWhatOpensslDecrypts() throws IOException {
    byte[] dump = TestBytes.customDump(TestBytes.MULTI_MEGABYTE, 12);
    Path in = file("db.dump", dump);
    Path encrypted = dir.resolve("out").resolve("db.dump.enc");

    int exit =
        pgrb("encrypt", "--in", in.toString(), "--out", encrypted.toString(), "--passphrase-env", "BACKUP_KEY",
            "--iterations", "50000");

    assertThat(exit).as(stderr()).isZero();
    assertThat(Openssl.decrypt(Files.readAllBytes(encrypted), PASSPHRASE, 50_000)).isEqualTo(dump);
  }

  @Test
  void anExistingOutputFileIsKeptUnlessForced() throws IOException {
    Path in = file("db.dump.enc", Openssl.encrypt(TestBytes.customDump(1000, 13), PASSPHRASE, 100_000));
    Files.createDirectories(out.getParent());
    Files.writeString(out, "precious");

    assertThat(pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY")).isEqualTo(2);
    assertThat(Files.readString(out)).isEqualTo("precious");
    assertThat(stderr()).contains("--force");

    assertThat(pgrb("decrypt", "--in", in.toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY", "--force"))
        .isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(TestBytes.customDump(1000, 13));
  }

  @Test
  void keyIdPrintsThePassphrasesAndTheSecretKeysIds() throws IOException {
    Path secretKey = file("alice.gpg", gpg.exportSecretKeys("alice@example.org", KEY_PASSPHRASE, false));

    int exit = pgrb("key-id", "--passphrase-env", "BACKUP_KEY", "--secret-key-file", secretKey.toString());

    assertThat(exit).as(stderr()).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8))
        .contains("passphrase " + KeyIds.ofPassphrase(PASSPHRASE))
        .contains("openpgp " + aliceKeyId);
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertThat(pgrb()).isEqualTo(2);
    assertThat(pgrb("restore")).isEqualTo(2);
    assertThat(pgrb("decrypt", "--in", "x", "--out", "-")).isEqualTo(2);
    assertThat(stderr()).contains("no key");
    assertThat(pgrb("decrypt", "--in", "x", "--out", "-", "--passphrase-env", "UNSET")).isEqualTo(2);
    assertThat(stderr()).contains("UNSET is not set");
    assertThat(pgrb("decrypt", "--in", "x", "--out", "-", "--passphrase-env", "BACKUP_KEY", "--iterations", "many"))
        .isEqualTo(2);
    assertThat(pgrb("decrypt", "--in", "x", "--out", "-", "--passphrase", "on-the-command-line")).isEqualTo(2);
    assertThat(stderr()).contains("unknown argument '--passphrase'");
    assertThat(pgrb("encrypt", "--in", "x", "--out", "-", "--secret-key-file", "k")).isEqualTo(2);
    assertThat(pgrb("--help")).isZero();
  }

  @Test
  void aMissingInputOrKeyFileIsAUsageErrorNamingIt() throws IOException {
    int exit = pgrb("decrypt", "--in", dir.resolve("missing.enc").toString(), "--out", out.toString(), "--passphrase-env", "BACKUP_KEY");

    assertThat(exit).isEqualTo(2);
    assertThat(stderr()).contains("no such file").contains("missing.enc");
    assertThat(pgrb("decrypt", "--in", "-", "--out", "-", "--secret-key-file", dir.resolve("nokey.asc").toString()))
        .isEqualTo(2);
    assertThat(stderr()).contains("nokey.asc");
    assertThat(leftInOutputDirectory()).isEmpty();
  }
}
