package io.pgrunbooks.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.workflows.assessment.ReadinessState;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One case per class of error the classifiers decide on. */
class SqlFailuresTest {

  @ParameterizedTest(name = "SQLSTATE {0} ({2}) transient: {1}")
  @CsvSource({
    "08001, true, unable to connect",
    "08006, true, connection failure",
    "53300, true, too many connections",
    "53100, true, disk full",
    "40001, true, serialization failure",
    "40P01, true, deadlock",
    "57P03, true, cannot connect now",
    "57014, true, statement timeout",
    "57P01, true, admin shutdown",
    "28P01, false, wrong password",
    "28000, false, no pg_hba entry",
    "42501, false, permission denied",
    "3D000, false, no such database",
    "42601, false, syntax error",
    "42P01, false, no such table"
  })
  void classifiesJdbcErrors(String sqlState, boolean transientError, String what) {
    assertThat(SqlFailures.isTransient(sqlState)).as(what).isEqualTo(transientError);
    assertThat(SqlFailures.of(new SQLException(what, sqlState), "demo").isNonRetryable()).isEqualTo(!transientError);
  }

  @ParameterizedTest(name = "connection attempt failing with {0} means {1}")
  @CsvSource({
    "08001, NO_RESPONSE",
    "08006, NO_RESPONSE",
    "57P03, REJECTING",
    "53300, REJECTING",
    "28P01, ACCEPTING",
    "3D000, ACCEPTING"
  })
  void readinessReadsTheServersAnswerLikePgIsready(String sqlState, ReadinessState expected) {
    assertThat(ReadinessProbe.classify(new SQLException("x", sqlState))).isEqualTo(expected);
  }
}
