package io.pgrunbooks.workflows.backupfailure;

import java.util.List;

/**
 * Scenario 2's checks of the role backups log in as ({@code TargetConfig.backupUser()}).
 *
 * @param role the role
 * @param exists whether it exists (read as the primary's configured role)
 * @param canLogin whether it has LOGIN
 * @param connects whether it logs in with its configured password
 * @param connectProblem the server's words when it does not (never the password)
 * @param unreadable tables of the configured databases it cannot SELECT ({@code db.schema.table}; at most 20)
 * @param serverMajor the server's major version (pg_read_all_data needs 14)
 */
public record BackupRoleCheck(
    String role, boolean exists, boolean canLogin, boolean connects, String connectProblem, List<String> unreadable,
    int serverMajor) {
  public BackupRoleCheck {
    unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
  }

  public boolean ok() {
    return exists && canLogin && connects && unreadable.isEmpty();
  }

  public String describe() {
    if (!exists) {
      return "role " + role + " does not exist";
    }
    if (ok()) {
      return "role " + role + " logs in and reads every table";
    }
    return "role " + role + ": " + (canLogin ? "" : "no LOGIN; ") + (connects ? "" : "cannot log in (" + connectProblem + "); ")
        + (unreadable.isEmpty() ? "" : "cannot read " + unreadable);
  }
}
