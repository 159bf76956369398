package io.pgrunbooks.activities.targets;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code pgrunbooks.targets}: every target by name. */
@ConfigurationProperties("pgrunbooks")
public record TargetsProperties(Map<String, TargetConfig> targets) {
  public TargetsProperties {
    targets = targets == null ? Map.of() : new TreeMap<>(targets);
  }
}
