package io.pgrunbooks.activities.storage;

import java.time.Instant;

/**
 * An object as the store describes it.
 *
 * @param key its key in the store's bucket
 * @param size bytes
 * @param storageClass e.g. STANDARD, STANDARD_IA (STANDARD when the store does not say)
 * @param etag the store's entity tag, quotes removed; {@code <md5>-<parts>} after a multipart upload
 * @param lastModified when it was written
 */
public record StoredObject(String key, long size, String storageClass, String etag, Instant lastModified) {
  public StoredObject {
    storageClass = storageClass == null || storageClass.isBlank() ? "STANDARD" : storageClass;
    etag = etag == null ? null : etag.replace("\"", "");
  }
}
