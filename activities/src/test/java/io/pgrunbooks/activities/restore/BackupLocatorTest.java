package io.pgrunbooks.activities.restore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackupLocatorTest {

  @Test
  void backupsAreMatchedByTheDatabaseNameBeforeTheFirstExtension() {
    assertThat(BackupLocator.isBackupOf("postgres-backups/manual/manual-backup-20240101_120000-link_users.sql.enc", "link_users")).isTrue();
    assertThat(BackupLocator.isBackupOf("postgres-backups/postgres-backup-latest_link_users.sql.enc", "link_users")).isTrue();
    assertThat(BackupLocator.isBackupOf("postgres-backups/2024-01-01/link_users.sql.gpg", "link_users")).isTrue();
    assertThat(BackupLocator.isBackupOf("postgres-backups/2024-01-01/link_users", "link_users")).isTrue();
  }

  @Test
  void otherDatabasesAndTheRunsJsonFilesAreNot() {
    assertThat(BackupLocator.isBackupOf("postgres-backups/manual/manual-backup-x-link_users_archive.sql.enc", "link_users")).isFalse();
    assertThat(BackupLocator.isBackupOf("postgres-backups/manual/manual-backup-x-users.sql.enc", "link_users")).isFalse();
    assertThat(BackupLocator.isBackupOf("postgres-backups/manual/manual-backup-x-link_users.sql.enc.manifest.json", "link_users")).isFalse();
    assertThat(BackupLocator.isBackupOf("postgres-backups/latest/link_users.json", "link_users")).isFalse();
    assertThat(BackupLocator.isBackupOf("postgres-backups/link_users/", "link_users")).isFalse();
  }
}
