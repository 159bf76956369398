package io.pgrunbooks.activities.storage;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code pgrunbooks.stores}: every object store by name. */
@ConfigurationProperties("pgrunbooks")
public record StoresProperties(Map<String, StoreConfig> stores) {
  public StoresProperties {
    stores = stores == null ? Map.of() : new TreeMap<>(stores);
  }
}
