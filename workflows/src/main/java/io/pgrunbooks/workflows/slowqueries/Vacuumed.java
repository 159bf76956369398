package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * What VACUUM (ANALYZE) did.
 *
 * @param tables the tables vacuumed and analyzed ("database.schema.table")
 * @param skipped the tables left out, each with why (dropped since, lock not granted in time)
 */
public record Vacuumed(List<String> tables, List<String> skipped) {}
