package io.pgrunbooks.activities.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options a server was last started with, from its data directory's postmaster.opts (what
 * {@code pg_ctl restart} reuses; the file stays after a crash): the program, then each argument in
 * double quotes.
 */
public final class PostmasterOpts {
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PostmasterOpts() {}

  /** The options for {@code pg_ctl -o}, without the program and its -D (pg_ctl adds those); null without the file. */
  public static String serverOptions(Path dataDirectory) {
    Path opts = dataDirectory.resolve("postmaster.opts");
    try {
      if (!Files.exists(opts)) {
        return null;
      }
      String line = Files.readString(opts, StandardCharsets.UTF_8).strip();
      int first = line.indexOf(" \"");
      String options = first < 0 ? "" : line.substring(first + 1);
      return options.replaceAll("\"-D\" \"[^\"]*\"\\s*", "").strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same options as a list of arguments (for running the postgres binary directly). */
  public static List<String> arguments(Path dataDirectory) {
    String options = serverOptions(dataDirectory);
    List<String> args = new ArrayList<>();
    if (options != null) {
      Matcher m = QUOTED.matcher(options);
      while (m.find()) {
        args.add(m.group(1).replace("\\\"", "\""));
      }
    }
    return args;
  }
}
