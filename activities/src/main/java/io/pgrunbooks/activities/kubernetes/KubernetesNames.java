package io.pgrunbooks.activities.kubernetes;

import io.temporal.failure.ApplicationFailure;
import java.util.regex.Pattern;

/**
 * Names from configuration that reach the API server in a URL path: checked against Kubernetes' own
 * rules before any call, so a typo is a clear message and never a request for another path.
 */
public final class KubernetesNames {
  /** RFC 1123 label: namespaces, StatefulSets whose pods need host names. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** RFC 1035 label: Service names (they become DNS names and start with a letter). */
  private static final Pattern SERVICE = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private KubernetesNames() {}

  /** {@code value} when it is an RFC 1123 label; else a non-retryable failure naming {@code property}. */
  public static String label(String value, String property) {
    return checked(value, LABEL, property, "an RFC 1123 label: lower-case letters, digits and '-', at most 63");
  }

  /** {@code value} when it is a valid Service name (an RFC 1035 label). */
  public static String service(String value, String property) {
    return checked(value, SERVICE, property, "a Service name: lower-case letters, digits and '-', starting with a letter, at most 63");
  }

  private static String checked(String value, Pattern pattern, String property, String rule) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          property + " '" + value + "' is not " + rule + ": fix the target's configuration", "InvalidTarget");
    }
    return value;
  }
}
