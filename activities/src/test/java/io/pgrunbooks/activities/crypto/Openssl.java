package io.pgrunbooks.activities.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code openssl enc}, as the seed runbook calls it, for interop tests. */
public final class Openssl {
  private Openssl() {}

  /** {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N -k PASS} plus any extra options. */
  public static byte[] encrypt(byte[] plain, String passphrase, int iterations, String... extra) {
    List<String> command = new ArrayList<>(List.of("openssl", "enc", "-aes-256-cbc", "-salt", "-pbkdf2", "-iter", "" + iterations));
    command.addAll(List.of(extra));
    return withPassphrase(command, passphrase, plain);
  }

  /**
   * What openssl writes with this salt: with {@code -S} openssl omits the header, so it is added
   * here. Fixed salts make wrong-key tests deterministic (a wrong key passes the padding check for
   * one salt in 256).
   */
  public static byte[] encryptWithSalt(byte[] plain, String passphrase, int iterations, byte[] salt) {
    byte[] body =
        withPassphrase(
            List.of("openssl", "enc", "-aes-256-cbc", "-pbkdf2", "-iter", "" + iterations, "-S", HexFormat.of().formatHex(salt)),
            passphrase,
            plain);
    byte[] file = new byte[16 + body.length];
    System.arraycopy("Salted__".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 8);
    System.arraycopy(salt, 0, file, 8, 8);
    System.arraycopy(body, 0, file, 16, body.length);
    return file;
  }

  /** {@code openssl enc -d -aes-256-cbc -pbkdf2 -iter N -k PASS}. */
  public static byte[] decrypt(byte[] encrypted, String passphrase, int iterations) {
    return withPassphrase(
        List.of("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-iter", "" + iterations), passphrase, encrypted);
  }

  /**
   * {@code -k PASS} as the seed has it; a non-ASCII passphrase goes through {@code -pass file:} as
   * UTF-8, since the JVM encodes arguments in the locale's charset (ASCII under LANG=C).
   */
  private static byte[] withPassphrase(List<String> command, String passphrase, byte[] input) {
    List<String> withKey = new ArrayList<>(command);
    if (StandardCharsets.US_ASCII.newEncoder().canEncode(passphrase)) {
      withKey.addAll(List.of("-k", passphrase));
      return run(withKey, input);
    }
    try {
      Path file = Files.createTempFile("pgrb-test-pass", ".txt");
      try {
        Files.writeString(file, passphrase + "\n", StandardCharsets.UTF_8);
        withKey.addAll(List.of("-pass", "file:" + file));
        return run(withKey, input);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a filter command over files (no pipe deadlocks); fails with its stderr on a non-zero exit. */
  static byte[] run(List<String> command, byte[] input) {
    try {
      Path in = Files.createTempFile("pgrb-test-in", ".bin");
      Path out = Files.createTempFile("pgrb-test-out", ".bin");
      try {
        Files.write(in, input);
        Process process =
            new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + command);
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(command.get(0) + " exited " + process.exitValue() + ": " + errors);
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
