package io.pgrunbooks.workflows.common;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Custom search attributes of every run, so that the Web UI and the API can filter by runbook,
 * target, phase, severity and whether a person is awaited. The server must know them: the local
 * stack and the test harness register {@link #ALL} when they start the Temporal dev server.
 */
public final class RunbookSearchAttributes {
  /** Workflow type in the catalog, e.g. {@code AssessDatabaseHealth}. */
  public static final SearchAttributeKey<String> RUNBOOK = SearchAttributeKey.forKeyword("Runbook");

  /** The target (PostgreSQL cluster) the run works on. */
  public static final SearchAttributeKey<String> TARGET = SearchAttributeKey.forKeyword("RunbookTarget");

  /** The step the run is in, in the runbook's words. */
  public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("RunbookPhase");

  /** Severity found, {@code SEV-1} to {@code SEV-3} or {@code none}. */
  public static final SearchAttributeKey<String> SEVERITY = SearchAttributeKey.forKeyword("RunbookSeverity");

  /** True while the run waits at an approval gate. */
  public static final SearchAttributeKey<Boolean> AWAITING_APPROVAL =
      SearchAttributeKey.forBoolean("AwaitingApproval");

  /** The person or tool that started the run. */
  public static final SearchAttributeKey<String> REQUESTED_BY = SearchAttributeKey.forKeyword("RequestedBy");

  /** Name to CLI type ({@code Keyword}, {@code Bool}) of every attribute, for server registration. */
  public static final Map<String, String> ALL =
      Map.of(
          RUNBOOK.getName(), "Keyword",
          TARGET.getName(), "Keyword",
          PHASE.getName(), "Keyword",
          SEVERITY.getName(), "Keyword",
          AWAITING_APPROVAL.getName(), "Bool",
          REQUESTED_BY.getName(), "Keyword");

  /**
   * Every attribute with its indexed type, for registering them on a server that is not started
   * with them (temporal-testing's in-memory server: {@code forEachIndexed(env::registerSearchAttribute)}).
   */
  public static void forEachIndexed(BiConsumer<String, IndexedValueType> register) {
    ALL.forEach(
        (name, type) ->
            register.accept(
                name,
                type.equals("Bool")
                    ? IndexedValueType.INDEXED_VALUE_TYPE_BOOL
                    : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
  }

  private RunbookSearchAttributes() {}
}
