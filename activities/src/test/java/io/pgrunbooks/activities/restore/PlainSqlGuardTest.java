package io.pgrunbooks.activities.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainSqlGuardTest {

  private static String pass(String script, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
    try (PlainSqlGuard guard = new PlainSqlGuard(out)) {
      for (int i = 0; i < bytes.length; i += chunk) {
        guard.write(bytes, i, Math.min(chunk, bytes.length - i));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSingleDatabaseDumpPassesUnchangedWhateverItsCopyDataLooksLike() throws IOException {
    String dump = """
        \\restrict abc123
        SET client_encoding = 'UTF8';
        CREATE TABLE public.users (id integer, note text);
        COPY public.users (id, note) FROM stdin;
        1\t\\N
        2\t\\\\connect looks like a command but is data
        \\N\tnull id
        \\.
        SELECT pg_catalog.setval('public.users_id_seq', 2, true);
        \\unrestrict abc123
        """;
    assertThat(pass(dump, 7)).isEqualTo(dump);
    assertThat(pass(dump, 4096)).isEqualTo(dump);
  }

  @Test
  void aConnectToAnotherDatabaseIsRefusedWithItsLine() {
    String dumpall = "SET x = 1;\nCREATE DATABASE link_users;\n\\connect link_users\nCREATE TABLE t (id int);\n";
    assertThatThrownBy(() -> pass(dumpall, 5))
        .isInstanceOf(PlainSqlGuard.RefusedScript.class)
        .hasMessageContaining("line 3").hasMessageContaining("\\connect").hasMessageContaining("pg_dump --create or pg_dumpall");
  }

  @Test
  void aShellEscapeIsRefusedEvenOnTheLastLineWithoutANewline() {
    assertThatThrownBy(() -> pass("SELECT 1;\n\\! rm -rf /tmp/x", 3))
        .isInstanceOf(PlainSqlGuard.RefusedScript.class)
        .hasMessageContaining("\\!").hasMessageContaining("only SQL and COPY data");
  }
}
