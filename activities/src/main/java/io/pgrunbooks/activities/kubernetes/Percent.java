package io.pgrunbooks.activities.kubernetes;

/** Percentages to one decimal, as {@code kubectl top} and {@code df} readers report them. */
final class Percent {
  private Percent() {}

  /** {@code part} of {@code whole} in percent, rounded to one decimal; whole must not be 0. */
  static double of(long part, long whole) {
    return Math.round(100.0 * part / whole * 10) / 10.0;
  }
}
