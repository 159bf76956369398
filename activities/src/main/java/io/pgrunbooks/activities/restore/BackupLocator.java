package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StoredObject;
import io.temporal.failure.ApplicationFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which object is "the latest backup" of a database. The seed sorts {@code aws s3 ls} output and
 * takes the last line, which mixes databases and metadata files; here the candidates are backup
 * objects (not .json) whose file name ends with the database's name before its extension
 * ({@code manual-backup-20240101_120000-link_users.sql.enc}, {@code link_users.sql.gpg}), newest
 * by the store's last-modified time.
 */
final class BackupLocator {
  private final ObjectStorage storage;

  BackupLocator(ObjectStorage storage) {
    this.storage = storage;
  }

  StoredObject newest(String store, String prefix, String database) {
    List<StoredObject> candidates =
        storage.list(store, prefix.endsWith("/") ? prefix : prefix + "/").stream()
            .filter(o -> isBackupOf(o.key(), database))
            .sorted(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key).reversed())
            .toList();
    if (candidates.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no backup of " + database + " under " + storage.uri(store, prefix + "/")
              + " (looked for objects named like <anything>-" + database + ".<ext> or " + database + ".<ext>)",
          "BackupNotFound");
    }
    return candidates.get(0);
  }

  StoredObject named(String store, String key) {
    Optional<StoredObject> object = storage.head(store, key);
    return object.orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "no backup object at " + storage.uri(store, key), "BackupNotFound"));
  }

  static boolean isBackupOf(String key, String database) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    if (name.endsWith(".json") || name.isEmpty()) {
      return false;
    }
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    return stem.equals(database) || stem.endsWith("-" + database) || stem.endsWith("_" + database);
  }
}
