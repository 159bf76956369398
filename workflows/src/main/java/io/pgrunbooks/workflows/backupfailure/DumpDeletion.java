package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.disk.Bytes;
import java.util.List;

/**
 * What the cleanup did with the approved list.
 *
 * @param deleted the paths deleted
 * @param freedBytes their sizes as listed, summed
 * @param gone approved paths already gone (an earlier attempt of the step, or someone else): fine
 * @param skipped approved paths left alone, each with why (changed since the listing, no longer allowed)
 */
public record DumpDeletion(List<String> deleted, long freedBytes, List<String> gone, List<String> skipped) {
  public DumpDeletion {
    deleted = deleted == null ? List.of() : List.copyOf(deleted);
    gone = gone == null ? List.of() : List.copyOf(gone);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  public String describe() {
    return "deleted " + deleted.size() + " old dump file(s) (" + Bytes.human(freedBytes) + ")" + (deleted.isEmpty() ? "" : ": " + String.join(", ", deleted))
        + (gone.isEmpty() ? "" : "; already gone: " + String.join(", ", gone))
        + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped));
  }
}
