package io.pgrunbooks.activities.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns a reference into the secret it names, so that workflow inputs and history only ever hold
 * the reference. Forms: {@code env:NAME}, {@code file:/path} (trailing newline dropped), {@code
 * k8s:namespace/secret/key}. A reference that names nothing is bad configuration: non-retryable,
 * and the message names the reference, never a value. Older versions a run kept when it replaced a
 * secret ({@link SecretArchives}) are listed by {@link #archivesOf(String)}.
 */
@Component
public class SecretResolver {
  /** Failure type of a reference that cannot be resolved. */
  public static final String UNRESOLVABLE_SECRET = "UnresolvableSecret";

  private final Function<String, String> environment;
  private final Supplier<KubernetesClient> kubernetes;

  @Autowired
  public SecretResolver(Supplier<KubernetesClient> kubernetes) {
    this(System::getenv, kubernetes);
  }

  SecretResolver(Function<String, String> environment, Supplier<KubernetesClient> kubernetes) {
    this.environment = environment;
    this.kubernetes = kubernetes;
  }

  /** The secret, or null when the reference is empty (no password: trust or peer auth). */
  public String resolve(String reference) {
    if (reference == null || reference.isBlank()) {
      return null;
    }
    int colon = reference.indexOf(':');
    String kind = colon < 0 ? "" : reference.substring(0, colon);
    String rest = colon < 0 ? "" : reference.substring(colon + 1);
    return switch (kind) {
      case "env" -> {
        String value = environment.apply(rest);
        if (value == null) {
          throw unresolvable(reference, "environment variable " + rest + " is not set");
        }
        yield value;
      }
      case "file" -> {
        try {
          yield Files.readString(Path.of(rest), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
          throw unresolvable(reference, "cannot read " + rest + ": " + e.getClass().getSimpleName());
        }
      }
      case "k8s" -> fromKubernetes(reference, rest);
      default ->
          throw unresolvable(
              reference, "use env:NAME, file:/path or k8s:namespace/secret/key");
    };
  }

  /**
   * The archives of {@code reference} that exist now ({@link SecretArchives}: sibling files {@code
   * <name>.<version>}, or keys {@code <key>.<version>} of the same Secret), as references, sorted.
   * Empty for {@code env:} references, when the directory cannot be listed, when the Secret does not
   * exist or no Kubernetes client is configured.
   */
  public List<String> archivesOf(String reference) {
    if (!SecretArchives.archivable(reference)) {
      return List.of();
    }
    String rest = reference.substring(reference.indexOf(':') + 1);
    if (reference.startsWith("file:")) {
      Path file = Path.of(rest);
      Path dir = file.toAbsolutePath().getParent();
      if (file.getFileName() == null || dir == null || !Files.isDirectory(dir)) {
        return List.of();
      }
      String name = file.getFileName().toString();
      try (Stream<Path> list = Files.list(dir)) {
        return archives(reference, name, list.map(p -> p.getFileName().toString()).toList());
      } catch (IOException e) {
        return List.of();
      }
    }
    String[] parts = rest.split("/");
    KubernetesClient client = parts.length == 3 ? kubernetes.get() : null;
    Secret secret = client == null ? null : client.secrets().inNamespace(parts[0]).withName(parts[1]).get();
    if (secret == null) {
      return List.of();
    }
    TreeSet<String> keys = new TreeSet<>();
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    return archives(reference, parts[2], keys);
  }

  private static List<String> archives(String reference, String base, java.util.Collection<String> names) {
    return names.stream()
        .filter(n -> SecretArchives.isArchiveName(n, base))
        .sorted()
        .map(n -> reference + n.substring(base.length()))
        .toList();
  }

  private String fromKubernetes(String reference, String path) {
    String[] parts = path.split("/");
    if (parts.length != 3) {
      throw unresolvable(reference, "expected k8s:namespace/secret/key");
    }
    Secret secret = kubernetes.get().secrets().inNamespace(parts[0]).withName(parts[1]).get();
    if (secret == null) {
      throw unresolvable(reference, "secret " + parts[1] + " not found in " + parts[0]);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(parts[2])) {
      return secret.getStringData().get(parts[2]);
    }
    if (secret.getData() == null || !secret.getData().containsKey(parts[2])) {
      throw unresolvable(reference, "secret " + parts[1] + " has no key " + parts[2]);
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(parts[2])), StandardCharsets.UTF_8);
  }

  private static ApplicationFailure unresolvable(String reference, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        "secret reference '" + reference + "' cannot be resolved: " + why, UNRESOLVABLE_SECRET);
  }
}
