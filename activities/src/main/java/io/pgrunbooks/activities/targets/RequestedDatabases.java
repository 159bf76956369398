package io.pgrunbooks.activities.targets;

import io.temporal.failure.ApplicationFailure;
import java.util.List;

/** The databases a request names, each checked to be one of the target's; none named means all of them. */
public final class RequestedDatabases {
  private RequestedDatabases() {}

  /**
   * @param failureType the non-retryable failure's type when a name is not the target's, or the
   *     target lists none
   */
  public static List<String> of(String target, TargetConfig config, List<String> requested, String failureType) {
    if (requested == null || requested.isEmpty()) {
      if (config.databases().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("target " + target + " lists no databases", failureType);
      }
      return config.databases();
    }
    List<String> unknown = requested.stream().filter(d -> !config.databases().contains(d)).toList();
    if (!unknown.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not databases of target " + target + ": " + unknown + "; its databases are " + config.databases(), failureType);
    }
    return requested;
  }
}
