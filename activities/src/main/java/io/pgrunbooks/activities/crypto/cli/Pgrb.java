package io.pgrunbooks.activities.crypto.cli;

import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.DecryptionException;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.crypto.OpensslFormat;
import io.pgrunbooks.activities.crypto.PayloadFormat;
import io.pgrunbooks.activities.crypto.ZstdStreams;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code pgrb decrypt | encrypt | key-id}: the backup service's encryption, by hand, for the day
 * the service is down. It only wires files and standard streams to {@link EncryptedBackups} and
 * {@link ZstdStreams}, so a file it reads is a file the activities read. Passphrases come from the
 * environment or a file, never the command line, where {@code ps} would show them.
 */
public final class Pgrb {
  static final int OK = 0;
  static final int WRONG_KEY_OR_CORRUPT_INPUT = 1;
  static final int USAGE = 2;

  static final String USAGE_TEXT =
      """
      usage: pgrb decrypt --in FILE|- --out FILE|- KEY [--iterations N] [--decompress] [--force] [--any-payload]
             pgrb encrypt --in FILE|- --out FILE|- PASSPHRASE [--iterations N] [--force]
             pgrb key-id KEY

      KEY         PASSPHRASE, for openssl enc and gpg --symmetric files, and/or
                  --secret-key-file FILE [--secret-key-passphrase-env VAR], for gpg --encrypt files
                  (FILE as gpg --export-secret-keys writes it, binary or --armor)
      PASSPHRASE  --passphrase-env VAR or --passphrase-file FILE (its first line)

      The format is read from the bytes: openssl enc -aes-256-cbc -salt -pbkdf2 (raw or -a base64),
      OpenPGP binary or armored. encrypt writes the openssl format of the backup runbook.
        --iterations N  PBKDF2 iterations of openssl files (default 100000, the runbook's)
        --decompress    undo the fast format's zstd layer: the output is a plain pg_dump file
        --force         replace an existing output file
        --any-payload   accept plaintext that does not start like a backup (PGDMP, zstd, gzip, tar, text)
      An output file appears only when complete; on failure nothing is left behind. For --out -
      the first decrypted bytes must look like a backup before anything is written.
      Exit status: 0 done, 1 wrong key or damaged input, 2 usage error.
      """;

  private static final Set<String> PASSPHRASE_OPTIONS = Set.of("--passphrase-env", "--passphrase-file");
  private static final Set<String> SECRET_KEY_OPTIONS = Set.of("--secret-key-file", "--secret-key-passphrase-env");

  private final InputStream stdin;
  private final OutputStream stdout;
  private final PrintStream stderr;
  private final Function<String, String> environment;

  private Pgrb(InputStream stdin, OutputStream stdout, PrintStream stderr, Function<String, String> environment) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.environment = environment;
  }

  public static void main(String[] args) {
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    System.exit(run(args, System.in, stdout, System.err, System::getenv));
  }

  /** Runs one command and returns its exit status; never exits the JVM. */
  static int run(
      String[] args, InputStream stdin, OutputStream stdout, PrintStream stderr, Function<String, String> environment) {
    Pgrb pgrb = new Pgrb(stdin, stdout, stderr, environment);
    try {
      String command = args.length == 0 ? "" : args[0];
      switch (command) {
        case "decrypt" -> pgrb.decrypt(args);
        case "encrypt" -> pgrb.encrypt(args);
        case "key-id" -> pgrb.keyId(args);
        case "help", "--help", "-h" -> pgrb.print(USAGE_TEXT.stripTrailing());
        default ->
            throw new UsageException(command.isEmpty() ? "no command given" : "unknown command '" + command + "'");
      }
      return OK;
    } catch (UsageException e) {
      stderr.println("pgrb: " + e.getMessage());
      stderr.println("run 'pgrb --help' for usage");
      return USAGE;
    } catch (DecryptionException e) {
      stderr.println("pgrb: " + e.getMessage());
      return WRONG_KEY_OR_CORRUPT_INPUT;
    } catch (IOException e) {
      stderr.println("pgrb: " + describe(e));
      return WRONG_KEY_OR_CORRUPT_INPUT;
    }
  }

  private void decrypt(String[] args) throws UsageException, IOException {
    Arguments arguments =
        Arguments.parse(
            args,
            1,
            union(Set.of("--in", "--out", "--iterations"), PASSPHRASE_OPTIONS, SECRET_KEY_OPTIONS),
            Set.of("--decompress", "--force", "--any-payload"));
    KeyMaterial key = keyMaterial(arguments, true);
    Path target = outputFile(arguments);
    try (InputStream encrypted = input(arguments.required("--in"));
        DecryptedStream plain =
            arguments.has("--any-payload")
                ? EncryptedBackups.openAnyPayload(encrypted, key)
                : EncryptedBackups.open(encrypted, key)) {
      PayloadFormat payload = plain.payload();
      InputStream result = plain;
      if (arguments.has("--decompress")) {
        if (payload == PayloadFormat.ZSTD) {
          result = ZstdStreams.decompress(plain);
        } else {
          stderr.println("pgrb: the payload is " + payload + ", not zstd: --decompress leaves it as it is");
        }
      }
      long written;
      try (InputStream output = result) { // closes zstd's native context too
        written = write(target, output::transferTo);
      }
      stderr.println(
          "pgrb: decrypted "
              + plain.container()
              + " ("
              + payload
              + (result == plain ? "" : ", decompressed")
              + "): "
              + written
              + " bytes to "
              + (target == null ? "standard output" : target));
    }
  }

  private void encrypt(String[] args) throws UsageException, IOException {
    Arguments arguments =
        Arguments.parse(
            args, 1, union(Set.of("--in", "--out", "--iterations"), PASSPHRASE_OPTIONS), Set.of("--force"));
    KeyMaterial key = keyMaterial(arguments, false);
    Path target = outputFile(arguments);
    try (InputStream plain = input(arguments.required("--in"))) {
      long written =
          write(
              target,
              out -> {
                try (OutputStream encrypted = EncryptedBackups.encrypt(out, key.passphrase(), key.iterations())) {
                  return plain.transferTo(encrypted);
                }
              });
      stderr.println(
          "pgrb: encrypted "
              + written
              + " bytes (openssl enc -aes-256-cbc -pbkdf2 -iter "
              + key.iterations()
              + ") to "
              + (target == null ? "standard output" : target));
    }
  }

  private void keyId(String[] args) throws UsageException, IOException {
    Arguments arguments = Arguments.parse(args, 1, union(PASSPHRASE_OPTIONS, SECRET_KEY_OPTIONS), Set.of());
    KeyMaterial key = keyMaterial(arguments, true);
    if (key.passphrase() != null) {
      print("passphrase " + KeyIds.ofPassphrase(key.passphrase()));
    }
    if (key.secretKeyRing() != null) {
      for (String id : KeyIds.ofSecretKeyRing(key.secretKeyRing())) {
        print("openpgp " + id);
      }
    }
  }

  private KeyMaterial keyMaterial(Arguments arguments, boolean secretKeysAllowed) throws UsageException, IOException {
    if (arguments.value("--passphrase-env") != null && arguments.value("--passphrase-file") != null) {
      throw new UsageException("give --passphrase-env or --passphrase-file, not both");
    }
    String passphrase = null;
    if (arguments.value("--passphrase-env") != null) {
      passphrase = fromEnvironment(arguments.value("--passphrase-env"));
    } else if (arguments.value("--passphrase-file") != null) {
      passphrase = firstLine(existing(arguments.value("--passphrase-file")));
    }
    byte[] secretKeyRing = null;
    String secretKeyPassphrase = null;
    if (arguments.value("--secret-key-file") != null) {
      secretKeyRing = Files.readAllBytes(existing(arguments.value("--secret-key-file")));
      if (arguments.value("--secret-key-passphrase-env") != null) {
        secretKeyPassphrase = fromEnvironment(arguments.value("--secret-key-passphrase-env"));
      }
    } else if (arguments.value("--secret-key-passphrase-env") != null) {
      throw new UsageException("--secret-key-passphrase-env needs --secret-key-file");
    }
    if (passphrase == null && (secretKeyRing == null || !secretKeysAllowed)) {
      throw new UsageException(
          secretKeysAllowed
              ? "no key: give --passphrase-env VAR, --passphrase-file FILE or --secret-key-file FILE"
              : "no passphrase: give --passphrase-env VAR or --passphrase-file FILE");
    }
    int iterations = arguments.positiveInt("--iterations", OpensslFormat.DEFAULT_ITERATIONS);
    return new KeyMaterial(passphrase, iterations, secretKeyRing, secretKeyPassphrase);
  }

  private String fromEnvironment(String variable) throws UsageException {
    String value = environment.apply(variable);
    if (value == null || value.isEmpty()) {
      throw new UsageException("environment variable " + variable + " is not set or empty");
    }
    return value;
  }

  /** Like openssl's {@code -kfile} and gpg's {@code --passphrase-file}: the first line, without its end. */
  private static String firstLine(Path file) throws UsageException, IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    if (line.isEmpty()) {
      throw new UsageException("passphrase file " + file + " has an empty first line");
    }
    return line;
  }

  private Path outputFile(Arguments arguments) throws UsageException {
    String out = arguments.required("--out");
    if (out.equals("-")) {
      return null;
    }
    Path target = Path.of(out);
    AtomicOutputFile.checkWritable(target, arguments.has("--force"));
    return target;
  }

  private InputStream input(String in) throws UsageException, IOException {
    return in.equals("-") ? stdin : Files.newInputStream(existing(in));
  }

  /** A file named on the command line that is not there is a usage error, not a damaged input. */
  private static Path existing(String name) throws UsageException {
    Path path = Path.of(name);
    if (!Files.isRegularFile(path)) {
      throw new UsageException("no such file: " + name);
    }
    return path;
  }

  private long write(Path target, AtomicOutputFile.Content content) throws IOException {
    if (target != null) {
      return AtomicOutputFile.write(target, content);
    }
    long written = content.writeTo(new KeepOpenOutputStream(stdout));
    stdout.flush();
    return written;
  }

  private void print(String line) throws IOException {
    stdout.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdout.flush();
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    return Arrays.stream(sets).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
  }
}
