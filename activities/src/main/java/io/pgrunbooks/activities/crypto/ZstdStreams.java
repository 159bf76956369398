package io.pgrunbooks.activities.crypto;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The zstd layer of the fast format ({@code pg_dump -Z0 | zstd | encrypt}): pg_dump's own zlib is
 * single-threaded and the slowest stage of a backup; zstd on two worker threads keeps up with disk
 * and network. Both directions stream with memory bounded by zstd's window (a few MiB at level 5;
 * reading accepts at most 2^27 bytes, zstd's default limit, whatever a frame asks for).
 */
public final class ZstdStreams {
  /**
   * Level 5: on a 1.3 GB text-heavy dump, level 3 (zstd's default) made an object 4 % larger than
   * pg_dump's gzip -6, level 5 one 0.4 % smaller, still at about a third of gzip's wall time on two
   * cores (bench/README.md, "Backups").
   */
  public static final int LEVEL = 5;

  /** Compression threads besides the caller's, which meanwhile encrypts and uploads. */
  public static final int WORKERS = 2;

  private static final int WINDOW_LOG_MAX = 27;

  private ZstdStreams() {}

  /**
   * Compresses into {@code out}; closing the result finishes the frame and closes {@code out}. The
   * frame carries zstd's content checksum: without it a damaged byte can decode silently into wrong
   * data, and openssl's CBC has no integrity check of its own.
   */
  public static OutputStream compress(OutputStream out) throws IOException {
    return new ZstdOutputStreamNoFinalizer(out, LEVEL).setWorkers(WORKERS).setChecksum(true);
  }

  /** Decompresses {@code in}, which may hold several concatenated frames. */
  public static InputStream decompress(InputStream in) throws IOException {
    return new ZstdInputStreamNoFinalizer(in).setLongMax(WINDOW_LOG_MAX);
  }
}
