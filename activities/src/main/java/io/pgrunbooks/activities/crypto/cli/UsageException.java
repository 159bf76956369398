package io.pgrunbooks.activities.crypto.cli;

/** The command line asks for something pgrb cannot do as written (exit code 2). */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
