package io.pgrunbooks.activities.storage;

import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Finds a store's configuration. An unknown name, or a store without a bucket or with a part size
 * S3 would refuse, is bad configuration: never retried, and the message says what to fix.
 */
@Component
public class StoreRegistry {
  /** Failure type of an unknown store name. */
  public static final String UNKNOWN_STORE = "UnknownStore";

  /** Failure type of a store whose configuration cannot work. */
  public static final String BAD_STORE_CONFIG = "BadStoreConfig";

  private final StoresProperties properties;

  public StoreRegistry(StoresProperties properties) {
    this.properties = properties;
  }

  public StoreConfig get(String name) {
    StoreConfig config = name == null ? null : properties.stores().get(name);
    if (config == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "unknown store '" + name + "'; configured stores: " + names()
              + " (pgrunbooks.stores.<name>)",
          UNKNOWN_STORE);
    }
    if (config.bucket() == null || config.bucket().isBlank()) {
      throw badConfig(name, "no bucket: set pgrunbooks.stores." + name + ".bucket");
    }
    if (config.partSize().compareTo(StoreConfig.MINIMUM_PART_SIZE) < 0
        || config.partSize().toBytes() > Integer.MAX_VALUE - 8) {
      throw badConfig(name, "part-size " + config.partSize() + " must be between 5MB and 2GB");
    }
    boolean hasSecretKey = config.secretKeyRef() != null && !config.secretKeyRef().isBlank();
    if (config.hasStaticCredentials() != hasSecretKey) {
      throw badConfig(
          name, "set both access-key-ref and secret-key-ref, or neither for the default credentials chain");
    }
    return config;
  }

  public Set<String> names() {
    return properties.stores().keySet();
  }

  static ApplicationFailure badConfig(String store, String why) {
    return ApplicationFailure.newNonRetryableFailure("store " + store + ": " + why, BAD_STORE_CONFIG);
  }
}
