package io.pgrunbooks.bench;

import io.pgrunbooks.activities.crypto.EncryptedBackups;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The cipher alone, on the same file of dump bytes: the project's encryption (JDK AES via
 * EncryptedBackups.encrypt) to a null stream, Bouncy Castle's AESEngine in CBC mode (pure Java),
 * and {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N -in file -out /dev/null}. Each
 * includes its PBKDF2 (100,000 iterations, tens of ms) and reads the file from the page cache (64
 * KiB reads in Java; openssl's own buffering). Interleaved rounds, the first one reported apart.
 */
final class CipherBench {
  static final int CHUNK = 64 * 1024;

  /**
   * Every measured round's seconds per cipher, and the first (warm-up) round's: the JDK's AES-CBC
   * intrinsic is used only once C2 has compiled it, so a fresh JVM's first few hundred MB are slower.
   */
  record Result(long inputBytes, Map<String, List<Double>> seconds, Map<String, Double> firstRound) {
    /** Median throughput in MB/s (10^6 bytes per second). */
    double mbPerSecond(String name) {
      return inputBytes / Stats.median(seconds.get(name)) / 1e6;
    }

    double firstRoundMbPerSecond(String name) {
      return inputBytes / firstRound.get(name) / 1e6;
    }
  }

  static final String JDK = "JDK AES (EncryptedBackups.encrypt, ours)";
  static final String BOUNCY = "Bouncy Castle AESEngine + CBCBlockCipher";
  static final String OPENSSL = "openssl enc -aes-256-cbc -pbkdf2 -iter 100000";

  private CipherBench() {}

  /** Writes {@code size} bytes to {@code target} by reading {@code source} over and over. */
  static long fill(Path source, Path target, long size) {
    try (FileChannel in = FileChannel.open(source);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long written = 0;
      while (written < size) {
        long n = in.transferTo(written % in.size(), Math.min(size - written, in.size() - written % in.size()), out);
        written += n;
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Result run(Path input, Path keyFile, String passphrase, int iterations, int rounds, Path log) throws Exception {
    long size = Files.size(input);
    Map<String, List<Double>> seconds = new java.util.LinkedHashMap<>();
    seconds.put(JDK, new ArrayList<>());
    seconds.put(BOUNCY, new ArrayList<>());
    seconds.put(OPENSSL, new ArrayList<>());
    Map<String, Double> first = new java.util.LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) {
      double jdk = time(() -> jdk(input, passphrase, iterations));
      double bc = time(() -> bouncy(input, passphrase, iterations));
      double ossl = time(() -> openssl(input, keyFile, iterations, log));
      BenchStack.log(String.format(java.util.Locale.ROOT, "cipher %s: JDK %.0f MB/s, Bouncy Castle %.0f MB/s, openssl %.0f MB/s",
          round == 0 ? "warm-up" : "round " + round, size / jdk / 1e6, size / bc / 1e6, size / ossl / 1e6));
      if (round == 0) {
        first.put(JDK, jdk);
        first.put(BOUNCY, bc);
        first.put(OPENSSL, ossl);
      } else {
        seconds.get(JDK).add(jdk);
        seconds.get(BOUNCY).add(bc);
        seconds.get(OPENSSL).add(ossl);
      }
    }
    return new Result(size, seconds, first);
  }

  private interface Body {
    void run() throws Exception;
  }

  private static double time(Body body) throws Exception {
    long t0 = System.nanoTime();
    body.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void jdk(Path input, String passphrase, int iterations) throws IOException {
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(input);
        OutputStream out = EncryptedBackups.encrypt(OutputStream.nullOutputStream(), passphrase, iterations)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    }
  }

  private static void bouncy(Path input, String passphrase, int iterations) throws Exception {
    byte[] salt = new byte[8];
    new SecureRandom().nextBytes(salt);
    byte[] keyAndIv =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 48 * 8))
            .getEncoded();
    PaddedBufferedBlockCipher cipher =
        new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()), new PKCS7Padding());
    cipher.init(true, new ParametersWithIV(new KeyParameter(keyAndIv, 0, 32), keyAndIv, 32, 16));
    byte[] buffer = new byte[CHUNK];
    byte[] encrypted = new byte[CHUNK + 32];
    OutputStream sink = OutputStream.nullOutputStream();
    try (InputStream in = Files.newInputStream(input)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sink.write(encrypted, 0, cipher.processBytes(buffer, 0, n, encrypted, 0));
      }
    }
    sink.write(encrypted, 0, cipher.doFinal(encrypted, 0));
  }

  private static void openssl(Path input, Path keyFile, int iterations, Path log) {
    TimedCommand.run(
        List.of("openssl", "enc", "-aes-256-cbc", "-salt", "-pbkdf2", "-iter", Integer.toString(iterations),
            "-in", input.toString(), "-out", "/dev/null", "-pass", "file:" + keyFile),
        Map.of(), null, log);
  }
}
