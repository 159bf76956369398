package io.pgrunbooks.activities.crypto.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets an encrypting stream "close" (finish its last block) without closing the file or stdout below it. */
final class KeepOpenOutputStream extends FilterOutputStream {
  KeepOpenOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
