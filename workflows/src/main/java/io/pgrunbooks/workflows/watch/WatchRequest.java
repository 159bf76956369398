package io.pgrunbooks.workflows.watch;

/**
 * A post-incident watch.
 *
 * @param target the target watched
 * @param hours how long the rules stay (0: the seed's 4 hours)
 * @param incident a short id of the incident, part of the rules' name (letters, digits, dashes; may be null)
 * @param requestedBy who asked
 */
public record WatchRequest(String target, int hours, String incident, String requestedBy) {}
