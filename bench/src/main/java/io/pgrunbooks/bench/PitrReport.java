package io.pgrunbooks.bench;

import io.pgrunbooks.bench.PitrBench.FlowSample;
import io.pgrunbooks.bench.PitrBench.HandSample;
import io.pgrunbooks.harness.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The PITR benchmark's results as markdown (printed, and written to bench/results/pitr-latest.md). */
final class PitrReport {
  private PitrReport() {}

  static String markdown(
      Report.Machine m, Instant began, Instant ended, String loadAfter, int warmups, int mib, String sizes,
      List<HandSample> hand, List<FlowSample> flow) {
    StringBuilder md = new StringBuilder("# Point-in-time recovery benchmark\n\n");
    Report.header(md, m, began, ended, loadAfter, "; " + pgBackRestVersion());
    md.append("- Data: ").append(sizes).append(" (bench.pitr.mib=").append(mib).append("); every recovery to the same "
        + "target between rows 2 and 3 of `events`, checked to keep exactly rows 1 and 2\n");
    md.append(String.format(Locale.ROOT, "- %d rounds after %d warm-up round(s), interleaved, alternating which goes first; before each recovery (untimed) a commit after the target is archived and `sync` run; the repository is in the page cache for both%n%n",
        hand.size(), warmups));

    Stats byHand = Stats.of(hand.stream().map(HandSample::totalMs).toList());
    Stats promoted = Stats.of(flow.stream().map(FlowSample::promotedMs).toList());
    Stats completed = Stats.of(flow.stream().map(FlowSample::completedMs).toList());
    md.append("| | median | min | max | rounds |\n|---|---:|---:|---:|---|\n");
    row(md, "By hand: `pg_ctl stop` → promoted (`pg_is_in_recovery()` false)", byHand, hand, HandSample::totalMs);
    row(md, "Workflow: approval `POST` → promoted (FollowRecovery completed)", promoted, flow, FlowSample::promotedMs);
    row(md, "Workflow: approval `POST` → run completed (check query, scale-back, assessment)", completed, flow, FlowSample::completedMs);
    md.append(String.format(Locale.ROOT,
        "%n**Overhead to promoted: %s** (median workflow − median by hand); **ratio %.2f×**. To the run completed: %.2f×.%n%n",
        Stats.ms(promoted.median() - byHand.median()), promoted.median() / byHand.median(),
        completed.median() / byHand.median()));

    md.append("Step by step (medians; the workflow's steps are its activities from scheduled to completed, by the "
        + "server's event times):\n\n| step | by hand | workflow |\n|---|---:|---:|\n");
    pair(md, "stop (`pg_ctl stop -m fast -w`) / StopDatabase", hand, HandSample::stopMs, flow, f -> f.steps().get("StopDatabase"));
    pair(md, "move aside (`mv`, `mkdir -m 0700`) / MoveDataDirectoryAside", hand, HandSample::moveMs, flow,
        f -> f.steps().get("MoveDataDirectoryAside"));
    pair(md, "`pgbackrest restore --type=time` / RestoreBackup", hand, HandSample::restoreMs, flow, f -> f.steps().get("RestoreBackup"));
    pair(md, "start (`pg_ctl start -w` by hand, `-W` in StartDatabase)", hand, HandSample::startMs, flow,
        f -> f.steps().get("StartDatabase"));
    pair(md, "until promoted (poll every 100 ms by hand; FollowRecovery polls every 0.25 s, then reads the log)", hand,
        HandSample::promoteMs, flow, f -> f.steps().get("FollowRecovery"));
    pair(md, "sum of the steps", hand, HandSample::totalMs, flow, FlowSample::stepsMs);
    pair(md, "approval `POST` → signal in the history (API, auth, SignalWorkflowExecution)", hand, h -> Double.NaN, flow,
        FlowSample::signalMs);
    pair(md, "orchestration between approval and promoted (workflow tasks, activity dispatch, API)", hand, h -> Double.NaN,
        flow, f -> f.promotedMs() - f.stepsMs());
    pair(md, "before the gate: `POST /api/runs` → gate open (plan: window, seal, disk; record replicas)", hand,
        h -> Double.NaN, flow, FlowSample::toGateMs);
    return md.toString();
  }

  private static String pgBackRestVersion() {
    try {
      return Processes.run(List.of("pgbackrest", "version"), null, Duration.ofSeconds(20)).strip();
    } catch (RuntimeException e) {
      return "pgBackRest (version unknown)";
    }
  }

  private static <T> void row(StringBuilder md, String name, Stats s, List<T> samples, ToDoubleFunction<T> f) {
    md.append(String.format(Locale.ROOT, "| %s | **%s** | %s | %s | %s |%n", name, Stats.ms(s.median()), Stats.ms(s.min()),
        Stats.ms(s.max()), samples.stream().map(x -> Stats.ms(f.applyAsDouble(x))).collect(Collectors.joining(", "))));
  }

  private static void pair(
      StringBuilder md, String name, List<HandSample> hand, ToDoubleFunction<HandSample> fh, List<FlowSample> flow,
      ToDoubleFunction<FlowSample> ff) {
    double left = Stats.median(hand.stream().map(fh::applyAsDouble).toList());
    double right = Stats.median(flow.stream().map(ff::applyAsDouble).toList());
    md.append("| ").append(name).append(" | ").append(Double.isNaN(left) ? "–" : Stats.ms(left)).append(" | ")
        .append(Double.isNaN(right) ? "–" : Stats.ms(right)).append(" |\n");
  }
}
