package io.pgrunbooks.activities.storage;

/**
 * A completed upload.
 *
 * @param key where the object now is
 * @param bytes its size
 * @param parts how many parts it was sent in (0: one PutObject, for anything under one part)
 * @param etag the store's entity tag, quotes removed
 */
public record UploadResult(String key, long bytes, int parts, String etag) {
  public UploadResult {
    etag = etag == null ? null : etag.replace("\"", "");
  }
}
