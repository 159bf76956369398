package io.pgrunbooks.activities.postgres;

import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.stereotype.Component;

/**
 * What {@code pg_isready} tells, over JDBC so that it works for every hosting: the server's answer
 * to a connection attempt. Like pg_isready, a server that answers with an authentication error is
 * accepting connections (our credentials are then the problem, and the SQL checks will say so).
 * One deliberate difference: pg_isready calls "too many clients already" accepting, but a server
 * that turns new clients away is unavailable to the applications, so it is REJECTING here.
 */
@Component
public class ReadinessProbe {
  private final PostgresConnector connector;

  public ReadinessProbe(PostgresConnector connector) {
    this.connector = connector;
  }

  public Readiness probe(Endpoint endpoint) {
    long start = System.nanoTime();
    String where = PostgresConnector.describe(endpoint);
    try (Connection c = connector.open(endpoint)) {
      return new Readiness(ReadinessState.ACCEPTING, where, null, null, millisSince(start));
    } catch (SQLException e) {
      return new Readiness(classify(e), where, e.getMessage(), e.getSQLState(), millisSince(start));
    }
  }

  /** Maps a failed connection attempt to pg_isready's answer. */
  static ReadinessState classify(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("57P03")) { // cannot_connect_now: starting up, shutting down, in recovery
      return ReadinessState.REJECTING;
    }
    if (state.startsWith("28") || state.equals("3D000")) { // auth failed, no such database
      return ReadinessState.ACCEPTING;
    }
    if (state.equals("53300")) { // too_many_connections: the server answers but turns us away
      return ReadinessState.REJECTING;
    }
    // 08xxx (refused, reset, timed out) and anything else: no usable answer.
    return ReadinessState.NO_RESPONSE;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
