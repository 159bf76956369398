package io.pgrunbooks.activities.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where pg_dump, pg_restore and psql are. pg_dump must be at least the server's major version, so
 * the default is the newest installed under /usr/lib/postgresql (Debian's layout).
 */
public final class PgBinaries {
  private PgBinaries() {}

  public static Path directory(String configured) {
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured);
      if (!Files.isExecutable(dir.resolve("pg_dump"))) {
        throw new IllegalArgumentException("no pg_dump in configured bin directory " + dir);
      }
      return dir;
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Files.isExecutable(p.resolve("bin/pg_dump")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IllegalArgumentException("pg_dump not found under /usr/lib/postgresql"));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "PostgreSQL client tools not found (looked in /usr/lib/postgresql): install postgresql-client", e);
    }
  }
}
