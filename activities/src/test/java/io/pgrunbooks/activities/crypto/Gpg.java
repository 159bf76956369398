package io.pgrunbooks.activities.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The real gpg in a throw-away home directory (batch mode, loopback pinentry, no passphrase
 * cache), for interop tests. {@link #close()} stops the agent it started.
 */
public final class Gpg implements AutoCloseable {
  private final Path home;

  public Gpg(Path home) {
    this.home = home;
    try {
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------")); // else gpg warns
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Generates a key for {@code email} with an encryption subkey: {@code future-default} is ed25519
   * with cv25519, {@code rsa2048} an RSA pair. Returns the encryption subkey's id, as gpg prints it.
   */
  public String generateKey(String email, String algorithm, String passphrase) {
    String userId = email + " <" + email + ">";
    if (algorithm.equals("future-default")) {
      gpg(new byte[0], "--passphrase", passphrase, "--quick-gen-key", userId, algorithm, "default", "never");
    } else {
      gpg(new byte[0], "--passphrase", passphrase, "--quick-gen-key", userId, algorithm, "sign,cert", "never");
      gpg(new byte[0], "--passphrase", passphrase, "--quick-add-key", fingerprint(email), algorithm, "encr", "never");
    }
    return encryptionKeyId(email);
  }

  /** {@code gpg --export-secret-keys}, binary or armored; the key keeps its own passphrase. */
  public byte[] exportSecretKeys(String email, String passphrase, boolean armor) {
    List<String> args = new ArrayList<>(List.of("--passphrase", passphrase));
    if (armor) {
      args.add("--armor");
    }
    args.addAll(List.of("--export-secret-keys", email));
    return gpg(new byte[0], args.toArray(String[]::new));
  }

  /** {@code gpg --symmetric}, gpg's defaults unless {@code options} say otherwise. */
  public byte[] encryptSymmetric(byte[] plain, String passphrase, String... options) {
    List<String> args = new ArrayList<>(List.of("--passphrase", passphrase, "--symmetric"));
    args.addAll(List.of(options));
    return gpg(plain, args.toArray(String[]::new));
  }

  /** {@code gpg --encrypt -r email}. */
  public byte[] encryptFor(byte[] plain, String email, String... options) {
    List<String> args = new ArrayList<>(List.of("--trust-model", "always", "--recipient", email, "--encrypt"));
    args.addAll(List.of(options));
    return gpg(plain, args.toArray(String[]::new));
  }

  private String fingerprint(String email) {
    return field(email, "fpr", 9);
  }

  private String encryptionKeyId(String email) {
    String listing = new String(gpg(new byte[0], "--with-colons", "--list-keys", email), StandardCharsets.UTF_8);
    for (String line : listing.split("\n")) {
      String[] fields = line.split(":", -1);
      if ((fields[0].equals("sub") || fields[0].equals("pub")) && fields[11].contains("e")) {
        return fields[4];
      }
    }
    throw new IllegalStateException("no encryption key for " + email + " in:\n" + listing);
  }

  private String field(String email, String record, int index) {
    String listing = new String(gpg(new byte[0], "--with-colons", "--list-keys", email), StandardCharsets.UTF_8);
    for (String line : listing.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields[0].equals(record)) {
        return fields[index];
      }
    }
    throw new IllegalStateException("no " + record + " for " + email + " in:\n" + listing);
  }

  private byte[] gpg(byte[] input, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "gpg", "--homedir", home.toString(), "--batch", "--yes", "--quiet", "--pinentry-mode", "loopback",
                "--no-symkey-cache"));
    command.addAll(List.of(args));
    return Openssl.run(command, input);
  }

  /** Stops the agent and waits for its sockets to go, so that deleting the home directory does not race it. */
  @Override
  public void close() {
    Openssl.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), new byte[0]);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && Files.exists(home.resolve("S.gpg-agent"))) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
