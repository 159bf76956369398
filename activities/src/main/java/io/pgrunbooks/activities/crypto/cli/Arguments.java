package io.pgrunbooks.activities.crypto.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code --name value}, {@code --name=value} and {@code --flag}, each at most once; nothing positional. */
final class Arguments {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  private Arguments() {}

  static Arguments parse(String[] args, int from, Set<String> valueOptions, Set<String> flagOptions)
      throws UsageException {
    Arguments parsed = new Arguments();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      if (flagOptions.contains(name) && equals < 0) {
        if (!parsed.flags.add(name)) {
          throw new UsageException(name + " is given twice");
        }
      } else if (valueOptions.contains(name)) {
        String value;
        if (equals > 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException(name + " needs a value");
        }
        if (parsed.values.putIfAbsent(name, value) != null) {
          throw new UsageException(name + " is given twice");
        }
      } else {
        throw new UsageException("unknown argument '" + arg + "'");
      }
    }
    return parsed;
  }

  String value(String name) {
    return values.get(name);
  }

  String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new UsageException(name + " is required");
    }
    return value;
  }

  boolean has(String name) {
    return values.containsKey(name) || flags.contains(name);
  }

  int positiveInt(String name, int fallback) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new UsageException(name + " must be a positive whole number, got '" + value + "'");
  }
}
