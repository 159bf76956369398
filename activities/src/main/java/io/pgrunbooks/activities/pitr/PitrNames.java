package io.pgrunbooks.activities.pitr;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks names that reach a command line or pgBackRest's restore_command (which the server runs
 * through a shell, unquoted): stanzas and paths are limited to characters that need no quoting.
 */
final class PitrNames {
  private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

  private PitrNames() {}

  static String stanza(String stanza) {
    if (stanza == null || !STANZA.matcher(stanza).matches()) {
      throw PitrFailures.invalid("not a valid pgBackRest stanza name: '" + stanza + "' (letters, digits, . _ -)");
    }
    return stanza;
  }

  /** An absolute, normalized path of plain characters; {@code what} names it in the message. */
  static String path(String what, String path) {
    if (path == null || !PATH.matcher(path).matches() || !Path.of(path).normalize().toString().equals(path)) {
      throw PitrFailures.invalid(
          what + " must be an absolute, normalized path of letters, digits and . _ / @ + -: '" + path + "'");
    }
    return path;
  }
}
