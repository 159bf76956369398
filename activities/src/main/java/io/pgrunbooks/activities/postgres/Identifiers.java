package io.pgrunbooks.activities.postgres;

/** SQL identifier quoting, for names that come from configuration, requests or catalogs. */
public final class Identifiers {
  private Identifiers() {}

  /** {@code "name"} with embedded double quotes doubled, as quote_ident does. */
  public static String quote(String name) {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a valid identifier: " + name);
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."name"}. */
  public static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }
}
