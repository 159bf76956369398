package io.pgrunbooks.activities.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An object written as a stream of unknown length (pg_dump's output, compressed and encrypted on
 * the way) without keeping it in memory or on disk.
 *
 * <p>Bytes fill one part buffer; a full buffer is uploaded in the background while the writer
 * fills the other, so memory stays at two parts and at most one part is in flight. The multipart
 * upload starts with the first full part: a stream shorter than one part (an empty one included)
 * becomes a single PutObject. {@link #close()} completes the upload; any failure, an explicit
 * {@link #abort()}, or a close after a failure aborts it, so the key either holds the whole stream
 * or nothing. A worker killed mid-upload leaves an incomplete upload (no object) behind: {@link
 * ObjectStorage#abortIncompleteUploads} removes it.
 *
 * <p>close() cannot tell a finished writer from one that is unwinding after its own failure (a
 * try-with-resources closes the stream either way), so a writer that fails must call abort()
 * first; {@link ObjectStorage#upload} does that for its caller. Progress (bytes the store has
 * acknowledged) is reported on the writer's thread, after each part, so an activity may heartbeat
 * from the callback. One writer thread only.
 */
public final class MultipartUploadStream extends OutputStream {
  private enum State { OPEN, COMPLETED, ABORTED, FAILED }

  /** How long an abort waits for the part in flight to stop before aborting the upload. */
  private static final long IN_FLIGHT_STOP_MILLIS = S3Clients.SOCKET_TIMEOUT.toMillis();

  private final S3Client s3;
  private final String store;
  private final String bucket;
  private final String key;
  private final StorageClass storageClass;
  private final LongConsumer progress;

  private byte[] buffer;
  private byte[] spare;
  private int filled;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private PartUpload inFlight;
  private long uploaded;
  private State state = State.OPEN;
  private RuntimeException failure;
  private UploadResult result;

  MultipartUploadStream(
      S3Client s3,
      String store,
      String bucket,
      String key,
      StorageClass storageClass,
      int partSize,
      LongConsumer progress) {
    this.s3 = s3;
    this.store = store;
    this.bucket = bucket;
    this.key = key;
    this.storageClass = storageClass;
    this.progress = progress == null ? bytes -> {} : progress;
    this.buffer = new byte[partSize];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    ensureOpen();
    while (length > 0) {
      int n = Math.min(length, buffer.length - filled);
      System.arraycopy(bytes, offset, buffer, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == buffer.length) {
        guarded(this::sendFullPart);
      }
    }
  }

  /** Completes the upload (or aborts it, after a failure) and returns the object's description. */
  public UploadResult complete() throws IOException {
    close();
    if (result == null) {
      throw new IOException("upload of " + key + " was aborted");
    }
    return result;
  }

  /** Completes the upload; after a failure, aborts it and throws that failure again. */
  @Override
  public void close() throws IOException {
    switch (state) {
      case COMPLETED, ABORTED -> {
        return;
      }
      case FAILED -> {
        abortQuietly();
        throw failure;
      }
      case OPEN -> guarded(this::finish);
    }
  }

  /**
   * Gives up: stops the part in flight and aborts the multipart upload, so no object and no parts
   * remain. Idempotent; refused after completion, since the object then exists.
   */
  public void abort() {
    if (state == State.COMPLETED) {
      throw new IllegalStateException("upload of " + key + " already completed");
    }
    if (state == State.OPEN) {
      state = State.ABORTED;
    }
    abortQuietly();
  }

  /** Bytes the store has acknowledged so far. */
  public long uploadedBytes() {
    return uploaded;
  }

  /** The multipart upload's id, or null while the stream still fits in one part. */
  public String uploadId() {
    return uploadId;
  }

  private void sendFullPart() {
    if (uploadId == null) {
      uploadId =
          s3.createMultipartUpload(
                  r -> r.bucket(bucket).key(key).storageClass(storageClass)
                      .contentType(ObjectStorage.OCTET_STREAM)
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32))
              .uploadId();
    }
    awaitInFlight();
    inFlight = new PartUpload(parts.size() + 1, buffer, filled);
    byte[] next = spare == null ? new byte[buffer.length] : spare;
    spare = buffer;
    buffer = next;
    filled = 0;
  }

  private void finish() {
    if (uploadId == null) {
      byte[] content = buffer;
      int length = filled;
      var response =
          s3.putObject(
              r -> r.bucket(bucket).key(key).storageClass(storageClass)
                  .contentType(ObjectStorage.OCTET_STREAM).contentLength((long) length),
              RequestBody.fromContentProvider(
                  () -> new ByteArrayInputStream(content, 0, length), length, ObjectStorage.OCTET_STREAM));
      uploaded = length;
      result = new UploadResult(key, length, 0, response.eTag());
      state = State.COMPLETED;
      progress.accept(uploaded);
    } else {
      if (filled > 0) {
        awaitInFlight();
        inFlight = new PartUpload(parts.size() + 1, buffer, filled);
        filled = 0;
      }
      awaitInFlight();
      var response =
          s3.completeMultipartUpload(
              r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      result = new UploadResult(key, uploaded, parts.size(), response.eTag());
      state = State.COMPLETED;
    }
    buffer = null;
    spare = null;
  }

  /** Waits for the part in flight, records it and reports progress. */
  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    PartUpload part = inFlight;
    inFlight = null;
    UploadPartResponse response = part.await();
    parts.add(
        CompletedPart.builder()
            .partNumber(part.number)
            .eTag(response.eTag())
            .checksumCRC32(response.checksumCRC32())
            .build());
    uploaded += part.length;
    progress.accept(uploaded);
  }

  /** Runs a step; any failure aborts the upload and is rethrown, classified when it is the store's. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (state == State.COMPLETED) {
        throw e; // the object is whole; only the progress callback failed (e.g. cancellation)
      }
      state = State.FAILED;
      failure = e instanceof SdkException ? StorageFailures.of(e, store, bucket, key) : e;
      abortQuietly();
      throw failure;
    } catch (Error e) {
      state = State.FAILED;
      failure = new IllegalStateException("upload of " + key + " failed", e);
      abortQuietly();
      throw e;
    }
  }

  /** Stops the part in flight and aborts the upload; failures of the abort itself are kept as suppressed. */
  private void abortQuietly() {
    if (inFlight != null) {
      inFlight.stop();
      inFlight = null;
    }
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      uploadId = null; // aborted: nothing left to clean, and a second abort is a no-op
    } catch (RuntimeException e) {
      // The store is unreachable: abortIncompleteUploads on the next attempt cleans up.
      if (failure != null && failure != e) {
        failure.addSuppressed(e);
      }
    }
    buffer = null;
    spare = null;
  }

  private void ensureOpen() throws IOException {
    if (state == State.FAILED) {
      throw failure;
    }
    if (state != State.OPEN) {
      throw new IOException("upload of " + key + " is " + state.name().toLowerCase());
    }
  }

  /** One part on its way, on a virtual thread so the writer can fill the other buffer meanwhile. */
  private final class PartUpload {
    final int number;
    final int length;
    final FutureTask<UploadPartResponse> task;
    final Thread thread;

    PartUpload(int number, byte[] content, int length) {
      this.number = number;
      this.length = length;
      String id = uploadId;
      this.task =
          new FutureTask<>(
              () ->
                  s3.uploadPart(
                      r -> r.bucket(bucket).key(key).uploadId(id).partNumber(number)
                          .contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                      RequestBody.fromContentProvider(
                          () -> new ByteArrayInputStream(content, 0, length),
                          length,
                          ObjectStorage.OCTET_STREAM)));
      this.thread = Thread.ofVirtual().name("upload-part-" + number + "-" + key).start(task);
    }

    UploadPartResponse await() {
      try {
        return task.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException("part " + number + " of " + key + " failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while uploading " + key, e);
      }
    }

    /** Interrupts the part and waits (bounded) until it no longer writes, so an abort is final. */
    void stop() {
      task.cancel(true);
      try {
        thread.join(IN_FLIGHT_STOP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
