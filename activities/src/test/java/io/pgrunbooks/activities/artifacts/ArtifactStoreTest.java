package io.pgrunbooks.activities.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.workflows.artifacts.ArtifactRef;
import io.pgrunbooks.workflows.artifacts.Excerpt;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The artifact store over a real S3 API (s3proxy), and the excerpts history keeps. */
class ArtifactStoreTest {
  private static final TestStores stores = new TestStores();
  private final ArtifactStore artifacts = new ArtifactStore(stores.storage, TestStores.GOOD, "artifacts-test/");
  private final String run = "diagnose-database/link/" + System.nanoTime();

  private static String log(int lines) {
    return IntStream.rangeClosed(1, lines).mapToObj(i -> "2026-11-29 11:00:00 UTC [42] LOG:  line " + i)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void putAndGetRoundTripUnderTheRunsKey() {
    byte[] report = "# Incident report\n\nall fine\n".getBytes(StandardCharsets.UTF_8);

    ArtifactRef ref = artifacts.put(run, "incident-report.md", "text/markdown", report);

    assertThat(ref.store()).isEqualTo(TestStores.GOOD);
    assertThat(ref.key()).isEqualTo("artifacts-test/" + run + "/incident-report.md");
    assertThat(ref.bytes()).isEqualTo(report.length);
    assertThat(ref.sha256()).isEqualTo(ArtifactStore.sha256(report)).hasSize(64);
    assertThat(artifacts.get(ref)).isEqualTo(report);
    assertThat(stores.storage.head(TestStores.GOOD, ref.key())).isPresent();
  }

  @Test
  void aBigOutputIsStoredWholeAndHistoryKeepsItsFirstAndLastLines() {
    String text = log(2000);

    Excerpt excerpt = artifacts.keep(run, "database.log", "text/plain", text);

    assertThat(excerpt.complete()).isFalse();
    assertThat(excerpt.totalLines()).isEqualTo(2000);
    assertThat(excerpt.totalBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(excerpt.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Excerpts.DEFAULT_MAX_BYTES);
    assertThat(excerpt.text()).startsWith("2026-11-29 11:00:00 UTC [42] LOG:  line 1\n")
        .endsWith("LOG:  line 2000\n")
        .containsPattern("… \\d+ of 2000 lines \\(\\d+ bytes in all\\) left out …");
    assertThat(excerpt.note()).isEqualTo("the whole of it is s3://" + stores.s3.bucket() + "/" + excerpt.artifact().key());
    assertThat(new String(artifacts.get(excerpt.artifact()), StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void aSmallOutputIsKeptWholeInHistoryAndNotStored() {
    Excerpt excerpt = artifacts.keep(run, "small.log", "text/plain", log(3));

    assertThat(excerpt.complete()).isTrue();
    assertThat(excerpt.text()).isEqualTo(log(3));
    assertThat(excerpt.artifact()).isNull();
    assertThat(stores.storage.head(TestStores.GOOD, artifacts.key(run, "small.log"))).isEmpty();
  }

  @Test
  void withoutAnArtifactStoreOnlyTheExcerptIsKeptAndItSaysSo() {
    ArtifactStore none = new ArtifactStore(stores.storage, "", null);

    Excerpt excerpt = none.keep(run, "database.log", "text/plain", log(2000));

    assertThat(none.configured()).isFalse();
    assertThat(excerpt.artifact()).isNull();
    assertThat(excerpt.complete()).isFalse();
    assertThat(excerpt.note()).startsWith("no artifact store is configured (pgrunbooks.artifacts.store): only this excerpt of ");
    assertThatThrownBy(() -> none.put(run, "x.log", "text/plain", new byte[1]))
        .isInstanceOfSatisfying(ApplicationFailure.class, e -> assertThat(e.getType()).isEqualTo(ArtifactStore.NO_ARTIFACT_STORE));
  }

  @Test
  void anArtifactChangedSinceItWasWrittenIsRefused() {
    ArtifactRef ref = artifacts.put(run, "statements.csv", "text/csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
    stores.storage.put(TestStores.GOOD, ref.key(), "a,c\n".getBytes(StandardCharsets.UTF_8), "text/csv");

    assertThatThrownBy(() -> artifacts.get(ref))
        .isInstanceOfSatisfying(ApplicationFailure.class, e -> assertThat(e.getType()).isEqualTo(ArtifactStore.ARTIFACT_CORRUPT));
  }

  @Test
  void namesAndWorkflowIdsCannotLeaveTheRunsPrefix() {
    assertThat(artifacts.key("a/b", "c.log")).isEqualTo("artifacts-test/a/b/c.log");
    assertThatThrownBy(() -> artifacts.key("a/../b", "c.log")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> artifacts.key("a//b", "c.log")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> artifacts.key("a", "../c.log")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> artifacts.key("a", "sub/c.log")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneHugeLineCannotTakeTheWholeExcerpt() {
    String text = "x".repeat(100_000) + "\nlast line\n";

    String excerpt = Excerpts.of(text, 4096);

    assertThat(excerpt.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(excerpt).isEqualTo("x".repeat(500) + "…\nlast line\n… lines over 500 characters cut (100011 bytes in all) …\n");
  }
}
