package io.pgrunbooks.activities.restore;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Stands between a plain-SQL dump and psql and refuses psql meta-commands other than the ones a
 * single-database pg_dump writes (restrict and unrestrict; COPY data is skipped up
 * to its {@code \.}). A {@code \connect} (pg_dump --create, pg_dumpall) would write into the live
 * database instead of the new one, and {@code \!} runs shell commands on the worker: both stop the
 * restore before psql sees them.
 */
final class PlainSqlGuard extends FilterOutputStream {
  private static final int KEEP = 24;
  private final byte[] first = new byte[KEEP];
  private final byte[] last = new byte[KEEP];
  private int length;
  private boolean inCopy;
  private long line = 1;

  PlainSqlGuard(OutputStream out) {
    super(out);
  }

  /** Thrown for a script that must not be run. */
  static final class RefusedScript extends IOException {
    RefusedScript(String message) {
      super(message);
    }
  }

  @Override
  public void write(int b) throws IOException {
    inspect((byte) b);
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      inspect(b[i]);
    }
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    if (length > 0) {
      endOfLine();
    }
    super.close();
  }

  private void inspect(byte b) throws IOException {
    if (b == '\n') {
      endOfLine();
      return;
    }
    if (length < KEEP) {
      first[length] = b;
    }
    last[length % KEEP] = b;
    length++;
  }

  private void endOfLine() throws IOException {
    String head = new String(first, 0, Math.min(length, KEEP), StandardCharsets.ISO_8859_1).stripTrailing();
    String tail = tail();
    if (inCopy) {
      inCopy = !head.equals("\\.");
    } else if (head.startsWith("\\")) {
      String command = head.split("[\\s]", 2)[0];
      if (!command.equals("\\restrict") && !command.equals("\\unrestrict")) {
        throw new RefusedScript(
            "line " + line + " of the dump is the psql command " + command + ": "
                + (command.startsWith("\\c") ? "the script connects to another database (pg_dump --create or pg_dumpall),"
                    + " so it cannot be restored into a new database; restore it by hand or use per-database dumps"
                    : "only SQL and COPY data are accepted from a backup"));
      }
    } else if (head.startsWith("COPY ") && tail.endsWith("FROM stdin;")) {
      inCopy = true;
    }
    length = 0;
    line++;
  }

  private String tail() {
    int n = Math.min(length, KEEP);
    byte[] t = new byte[n];
    for (int i = 0; i < n; i++) {
      t[i] = last[(length - n + i) % KEEP];
    }
    return new String(t, StandardCharsets.ISO_8859_1).stripTrailing();
  }
}
