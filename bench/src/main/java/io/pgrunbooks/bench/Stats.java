package io.pgrunbooks.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median, p90 (nearest rank), min and max of a list of milliseconds. */
record Stats(int n, double median, double p90, double min, double max) {

  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    double p90 = sorted.get(Math.max(0, (int) Math.ceil(0.9 * n) - 1));
    return new Stats(n, median, p90, sorted.get(0), sorted.get(n - 1));
  }

  static double median(List<Double> values) {
    return of(values).median();
  }

  /** Milliseconds as "812 ms" or "10.61 s". */
  static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "n/a";
    }
    if (Math.abs(millis) >= 10_000) {
      return String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }
    if (Math.abs(millis) >= 100) {
      return String.format(Locale.ROOT, "%.0f ms", millis);
    }
    return String.format(Locale.ROOT, "%.1f ms", millis);
  }
}
