package io.pgrunbooks.activities.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Writes a secret at a reference, the counterpart of {@link SecretResolver} for the two forms a
 * run can write:
 *
 * <ul>
 *   <li>{@code file:/path}: the directory must exist; the value goes to a temporary file in it,
 *       created with owner-only permissions (0600) and synced, then moved into place atomically, so
 *       that a reader sees the old value or the new one, never a part, and nobody else can read it;
 *   <li>{@code k8s:namespace/secret/key}: the Secret is created with that key, or the key is added
 *       to it or replaced (an update locked on the Secret's resourceVersion: a concurrent change is a
 *       conflict, retried, never lost).
 * </ul>
 *
 * <p>{@code env:} references cannot be written (a run cannot change the worker's environment):
 * {@link #whyNotWritable(String)} says so, and writing fails non-retryably. Values are never
 * logged nor put in a message.
 */
@Component
public class SecretWriter {
  /** Failure type of a reference this service cannot write (env:, malformed, a missing directory). */
  public static final String UNWRITABLE_SECRET = "UnwritableSecret";

  /** Failure type of {@link #create} where something is already stored (never overwritten). */
  public static final String SECRET_EXISTS = "SecretExists";

  /** What Kubernetes allows as a key of a Secret's data. */
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  private final Supplier<KubernetesClient> kubernetes;

  public SecretWriter(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /**
   * Why {@code reference} cannot be written by a run, in words a person can act on; null when it
   * can. Looks at the form and, for {@code file:}, whether its directory exists; it does not try
   * the Kubernetes API (a forbidden write fails then, non-retryably).
   */
  public static String whyNotWritable(String reference) {
    if (reference == null || reference.isBlank()) {
      return "no reference is configured";
    }
    int colon = reference.indexOf(':');
    String kind = colon < 0 ? "" : reference.substring(0, colon);
    String rest = reference.substring(colon + 1);
    return switch (kind) {
      case "env" -> reference + " is read from the worker's environment, which a run cannot change: set " + rest
          + " in the worker's environment (e.g. from a secret) and restart the worker, or use a file: or k8s: reference";
      case "file" -> {
        Path file = Path.of(rest);
        Path dir = file.toAbsolutePath().getParent();
        if (rest.isBlank() || file.getFileName() == null || dir == null) {
          yield reference + " names no file";
        }
        yield Files.isDirectory(dir) ? null : "directory " + dir + " of " + reference + " does not exist: create it for the worker's user";
      }
      case "k8s" -> {
        String[] parts = rest.split("/", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()) {
          yield reference + " is not k8s:namespace/secret/key";
        }
        yield SECRET_KEY.matcher(parts[2]).matches() ? null : "'" + parts[2] + "' is not a valid key of a Secret ([-._a-zA-Z0-9]+)";
      }
      default -> reference + " is not a reference a run can write: use file:/path or k8s:namespace/secret/key";
    };
  }

  /**
   * Writes {@code value} only where nothing is stored yet: a file that does not exist, a Secret or
   * a key of a Secret that does not exist.
   *
   * @throws ApplicationFailure non-retryable {@link #SECRET_EXISTS} when something is stored there
   *     (it is left as it is), {@link #UNWRITABLE_SECRET} when the reference cannot be written
   */
  public void create(String reference, String value) {
    write(reference, value, false);
  }

  /**
   * Writes {@code value}, replacing what is stored there (if anything).
   *
   * @throws ApplicationFailure non-retryable {@link #UNWRITABLE_SECRET} when the reference cannot be written
   */
  public void replace(String reference, String value) {
    write(reference, value, true);
  }

  private void write(String reference, String value, boolean replace) {
    String problem = whyNotWritable(reference);
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure("cannot write secret reference '" + reference + "': " + problem, UNWRITABLE_SECRET);
    }
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("an empty secret is not written");
    }
    String rest = reference.substring(reference.indexOf(':') + 1);
    if (reference.startsWith("file:")) {
      toFile(reference, Path.of(rest), value, replace);
    } else {
      String[] parts = rest.split("/", -1);
      KubernetesFailures.call(() -> {
        toKubernetes(reference, parts[0], parts[1], parts[2], value, replace);
        return null;
      });
    }
  }

  private static void toFile(String reference, Path file, String value, boolean replace) {
    Path dir = file.toAbsolutePath().getParent();
    Path target = dir.resolve(file.getFileName());
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        out.write(StandardCharsets.UTF_8.encode(value));
        out.force(true);
      }
      if (replace) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // A hard link fails when the name exists: create-if-absent in one step, no window to overwrite.
        Files.createLink(target, temp);
      }
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          reference + " exists already (though it did not resolve to a secret): it is not overwritten; make it readable by the"
              + " worker's user or remove it", SECRET_EXISTS);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot write " + reference + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
          "SecretWriteFailed");
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Makes the new directory entry durable (Linux allows fsync on a directory; elsewhere it is skipped). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: the rename itself is atomic
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // an owner-only temp file left behind; the next write makes its own
      }
    }
  }

  private void toKubernetes(String reference, String namespace, String name, String key, String value, boolean replace) {
    KubernetesClient client = kubernetes.get();
    if (client == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot write " + reference + ": no Kubernetes client is configured for this worker", UNWRITABLE_SECRET);
    }
    String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    Resource<Secret> resource = client.secrets().inNamespace(namespace).withName(name);
    Secret existing = resource.get();
    if (existing == null) {
      try {
        resource.create(new SecretBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
            .withType("Opaque")
            .addToData(key, encoded)
            .build());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = resource.get(); // made by someone else meanwhile: add the key to it
        if (existing == null) {
          throw e;
        }
      }
    }
    boolean present = (existing.getData() != null && existing.getData().containsKey(key))
        || (existing.getStringData() != null && existing.getStringData().containsKey(key));
    if (present && !replace) {
      throw ApplicationFailure.newNonRetryableFailure(
          "key " + key + " of secret " + name + " in " + namespace + " exists already: it is not overwritten", SECRET_EXISTS);
    }
    SecretBuilder updated = new SecretBuilder(existing).addToData(key, encoded);
    if (existing.getStringData() != null && existing.getStringData().containsKey(key)) {
      updated.removeFromStringData(key);
    }
    client.secrets().inNamespace(namespace).resource(updated.build()).update();
  }
}
