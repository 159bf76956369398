package io.pgrunbooks.activities.targets;

import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Finds a target's configuration; an unknown name is bad input, never retried. */
@Component
public class TargetRegistry {
  /** Failure type of an unknown target name. */
  public static final String UNKNOWN_TARGET = "UnknownTarget";

  private final TargetsProperties properties;

  public TargetRegistry(TargetsProperties properties) {
    this.properties = properties;
  }

  public TargetConfig get(String name) {
    TargetConfig config = name == null ? null : properties.targets().get(name);
    if (config == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "unknown target '" + name + "'; configured targets: " + names(), UNKNOWN_TARGET);
    }
    return config;
  }

  public Set<String> names() {
    return properties.targets().keySet();
  }
}
