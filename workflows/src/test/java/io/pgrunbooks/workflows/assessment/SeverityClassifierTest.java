package io.pgrunbooks.workflows.assessment;

import static io.pgrunbooks.workflows.assessment.Fixtures.LIMITS;
import static io.pgrunbooks.workflows.assessment.Fixtures.healthy;
import static io.pgrunbooks.workflows.assessment.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per row of the seed's Quick Reference table, and the rows it implies. */
class SeverityClassifierTest {

  @Test
  void healthyClusterNeedsNoResponse() {
    Classification c = SeverityClassifier.classify(healthy(), LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.NONE);
    assertThat(c.scenario()).isEqualTo(Scenario.NONE);
    assertThat(c.reasons()).isEmpty();
  }

  @Test
  void databaseThatDoesNotAnswerIsSev1PodRecovery() {
    Findings down =
        with(healthy(), new Readiness(ReadinessState.NO_RESPONSE, "db:5432", "Connection refused", "08001", 2));
    Classification c = SeverityClassifier.classify(down, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_1);
    assertThat(c.severity().responseTime()).isEqualTo("< 15 min");
    assertThat(c.scenario()).isEqualTo(Scenario.RECOVER_CRASHED_POD);
    assertThat(c.reasons().get(0)).contains("database unavailable").contains("no response").contains("db:5432");
  }

  @Test
  void databaseDownWithAFullDiskPointsToReclaimingSpace() {
    Findings f =
        with(with(healthy(), new Readiness(ReadinessState.REJECTING, "db:5432", "shutting down", "57P03", 2)), Fixtures.disk(99.5));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_1);
    assertThat(c.scenario()).isEqualTo(Scenario.RECLAIM_DISK_SPACE);
  }

  @Test
  void noSlotLeftForNewClientsIsSev1ConnectionExhaustion() {
    Findings f =
        with(healthy(), new Readiness(ReadinessState.REJECTING, "db:5432", "sorry, too many clients already", "53300", 2));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_1);
    assertThat(c.scenario()).isEqualTo(Scenario.RELIEVE_CONNECTION_EXHAUSTION);
  }

  @Test
  void replicationLagIsSev2() {
    Findings f =
        with(
            healthy(),
            new ReplicationStatus(
                List.of(new ReplicaLag("10.0.0.7", "replica-0", "streaming", "async", 1.0, 1.0, 95.0)), 95.0));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_2);
    assertThat(c.severity().responseTime()).isEqualTo("< 30 min");
    assertThat(c.scenario()).isEqualTo(Scenario.REPAIR_REPLICATION_LAG);
    assertThat(c.reasons().get(0)).contains("95.0 s behind");
  }

  @Test
  void aReplicaThatStoppedStreamingIsSev2() {
    Findings f =
        with(
            healthy(),
            new ReplicationStatus(
                List.of(new ReplicaLag("10.0.0.7", "replica-0", "catchup", "async", null, null, null)), 0));
    assertThat(SeverityClassifier.classify(f, LIMITS).scenario()).isEqualTo(Scenario.REPAIR_REPLICATION_LAG);
  }

  @Test
  void connectionExhaustionIsSev2() {
    Classification c = SeverityClassifier.classify(with(healthy(), Fixtures.connections(92, 100)), LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_2);
    assertThat(c.scenario()).isEqualTo(Scenario.RELIEVE_CONNECTION_EXHAUSTION);
    assertThat(c.reasons().get(0)).contains("92 of max_connections 100").contains("92.00%");
  }

  @Test
  void connectionsFillingUpAreAWarningNotAnIncident() {
    Classification c = SeverityClassifier.classify(with(healthy(), Fixtures.connections(85, 100)), LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.NONE);
    assertThat(c.reasons()).singleElement().asString().contains("filling up");
  }

  @Test
  void slowQueriesAreSev3() {
    Findings f = with(healthy(), new LongRunningQueries(300, 2, 1800, List.of("pid 42")));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_3);
    assertThat(c.severity().responseTime()).isEqualTo("< 2 hours");
    assertThat(c.scenario()).isEqualTo(Scenario.RESOLVE_SLOW_QUERIES);
  }

  @Test
  void aDiskAtTheCriticalMarkIsSev1EvenWhileTheDatabaseAnswers() {
    Classification c = SeverityClassifier.classify(with(healthy(), Fixtures.disk(97)), LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_1);
    assertThat(c.scenario()).isEqualTo(Scenario.RECLAIM_DISK_SPACE);
  }

  @Test
  void aDiskFillingUpIsSev3() {
    Classification c = SeverityClassifier.classify(with(healthy(), Fixtures.disk(88)), LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_3);
    assertThat(c.scenario()).isEqualTo(Scenario.RECLAIM_DISK_SPACE);
  }

  @Test
  void aCrashLoopingPodWhileTheDatabaseStillAnswersIsSev2() {
    Findings f =
        Fixtures.withPods(
            healthy(),
            List.of(Fixtures.runningPod("postgres-primary-0"), new PodStatus("postgres-replica-0", "Running", false, 7, "CrashLoopBackOff", "node-2")));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_2);
    assertThat(c.scenario()).isEqualTo(Scenario.RECOVER_CRASHED_POD);
    assertThat(c.reasons().get(0)).contains("postgres-replica-0").contains("CrashLoopBackOff").contains("7 restarts");
  }

  @Test
  void theMostSevereFindingDecidesAndEveryFindingIsListed() {
    Findings f = with(with(healthy(), Fixtures.connections(95, 100)), new LongRunningQueries(300, 1, 400, List.of()));
    Classification c = SeverityClassifier.classify(f, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.SEV_2);
    assertThat(c.scenario()).isEqualTo(Scenario.RELIEVE_CONNECTION_EXHAUSTION);
    assertThat(c.reasons()).hasSize(2);
    assertThat(c.reasons().get(1)).contains("statement(s) active");
  }

  @Test
  void checksThatProducedNothingDoNotCountAsHealthyOrBroken() {
    Findings unknown = new Findings(Fixtures.accepting(), null, null, null, null, null, null, null, null, null);
    Classification c = SeverityClassifier.classify(unknown, LIMITS);
    assertThat(c.severity()).isEqualTo(Severity.NONE);
  }
}
