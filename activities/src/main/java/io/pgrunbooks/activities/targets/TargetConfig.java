package io.pgrunbooks.activities.targets;

import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One PostgreSQL cluster as configured under {@code pgrunbooks.targets.<name>}.
 *
 * @param hosting kubernetes or host
 * @param primary how to reach the primary
 * @param replicas how to reach each replica (may be empty)
 * @param databases the application databases
 * @param applicationDeployments deployments whose logs show the applications' view
 * @param kubernetes where the cluster lives when hosting is kubernetes
 * @param host where the cluster lives when hosting is host
 * @param thresholds limits for the assessment; defaults when absent
 * @param backup where and how this target's backups go (null: the target has no backups)
 * @param restore how restores of this target are checked and fed (defaults when absent)
 * @param pitr the target's pgBackRest stanza for point-in-time recovery (null: none)
 * @param applicationHealthUrls the applications' health URLs a validation after recovery calls
 *     (the seed's {@code curl -f https://api.link-app.com/health}); may be empty
 * @param replication where each replica runs and how it copies the primary (null: replicas are
 *     only looked at, never started or reinitialized)
 */
public record TargetConfig(
    Hosting hosting,
    Endpoint primary,
    List<Endpoint> replicas,
    List<String> databases,
    List<String> applicationDeployments,
    KubernetesPlacement kubernetes,
    HostPlacement host,
    AssessmentThresholds thresholds,
    BackupSettings backup,
    RestoreSettings restore,
    PitrSettings pitr,
    List<String> applicationHealthUrls,
    ReplicationSettings replication) {

  /** A target without replication settings (replicas are then only looked at). */
  public TargetConfig(
      Hosting hosting,
      Endpoint primary,
      List<Endpoint> replicas,
      List<String> databases,
      List<String> applicationDeployments,
      KubernetesPlacement kubernetes,
      HostPlacement host,
      AssessmentThresholds thresholds,
      BackupSettings backup,
      RestoreSettings restore,
      PitrSettings pitr,
      List<String> applicationHealthUrls) {
    this(hosting, primary, replicas, databases, applicationDeployments, kubernetes, host, thresholds, backup, restore, pitr,
        applicationHealthUrls, null);
  }

  /** A target with default restore settings and without point-in-time recovery. */
  public TargetConfig(
      Hosting hosting,
      Endpoint primary,
      List<Endpoint> replicas,
      List<String> databases,
      List<String> applicationDeployments,
      KubernetesPlacement kubernetes,
      HostPlacement host,
      AssessmentThresholds thresholds,
      BackupSettings backup) {
    this(hosting, primary, replicas, databases, applicationDeployments, kubernetes, host, thresholds, backup, null, null, null, null);
  }

  /** The constructor configuration binds to (the record has a second one). */
  @ConstructorBinding
  public TargetConfig {
    replicas = replicas == null ? List.of() : List.copyOf(replicas);
    databases = databases == null ? List.of() : List.copyOf(databases);
    applicationDeployments =
        applicationDeployments == null ? List.of() : List.copyOf(applicationDeployments);
    thresholds = thresholds == null ? AssessmentThresholds.defaults() : thresholds;
    restore = restore == null ? new RestoreSettings(null, null, null, null, null, null) : restore;
    applicationHealthUrls = applicationHealthUrls == null ? List.of() : List.copyOf(applicationHealthUrls);
  }

  /** The role pg_dump and pg_restore log in as: the backup settings' own, else the primary's. */
  public String backupUser() {
    return backup != null && backup.user() != null ? backup.user() : primary.user();
  }

  /** That role's password reference. */
  public String backupPasswordRef() {
    return backup != null && backup.passwordRef() != null ? backup.passwordRef() : primary.passwordRef();
  }

  /**
   * A JDBC endpoint.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}
   * @param user the role to log in as (monitoring needs pg_monitor or superuser)
   * @param passwordRef where the password is: {@code env:NAME}, {@code file:/path}, or {@code
   *     k8s:namespace/secret/key}; empty for trust or peer authentication
   */
  public record Endpoint(String jdbcUrl, String user, String passwordRef) {}

  /**
   * Kubernetes placement.
   *
   * @param namespace e.g. link-services
   * @param podSelector label selector of the database pods, e.g. {@code app=postgres}
   * @param primaryPod the primary's pod, e.g. postgres-primary-0
   * @param container the PostgreSQL container in that pod (null: the first)
   * @param dataDirectory the data directory inside the container
   * @param volumeMatch PVs whose name or claim contains this belong to the database (seed: "postgres")
   */
  public record KubernetesPlacement(
      String namespace,
      String podSelector,
      String primaryPod,
      String container,
      String dataDirectory,
      String volumeMatch) {}

  /**
   * Backups of a target ({@code pgrunbooks.targets.<name>.backup}).
   *
   * @param store the object store, a name under {@code pgrunbooks.stores}
   * @param prefix key prefix (default {@code postgres-backups}, the seed's)
   * @param keyRef reference to the encryption passphrase ({@code env:}, {@code file:}, {@code k8s:})
   * @param format compatible (default) or fast
   * @param parallelism databases dumped at once (default 2)
   * @param iterations PBKDF2 iterations of the openssl format (default 100000, the seed's)
   * @param storageClass S3 storage class (default STANDARD_IA, the seed's)
   * @param user role pg_dump logs in as (default: the primary endpoint's)
   * @param passwordRef its password (default: the primary endpoint's)
   * @param binDirectory where pg_dump and pg_restore are (default: the newest under
   *     /usr/lib/postgresql); they must be at least the server's major version
   * @param previousKeyRefs references to the passphrases of earlier keys (default none): after a
   *     key rotation, the backups made before it are opened with the one whose key id they record
   *     (see {@link io.pgrunbooks.activities.backup.BackupKeyring})
   * @param localDumpDirectory a directory on the database's machine (host) or in the primary pod's
   *     PostgreSQL container (kubernetes) where dumps made by hand or by scripts are left (null: none);
   *     the backup-failure runbook's storage step offers its old dump files for deletion, as it does
   *     those in the top level of the data directory. Never one of PostgreSQL's own directories.
   * @param dumpRetentionDays dump files last modified more than this many days ago are old (default 7, the seed's)
   */
  public record BackupSettings(
      String store,
      String prefix,
      String keyRef,
      io.pgrunbooks.workflows.backup.BackupFormat format,
      Integer parallelism,
      Integer iterations,
      String storageClass,
      String user,
      String passwordRef,
      String binDirectory,
      List<String> previousKeyRefs,
      String localDumpDirectory,
      Integer dumpRetentionDays) {

    /** The settings without a local dump directory, with the default dump retention. */
    public BackupSettings(
        String store, String prefix, String keyRef, io.pgrunbooks.workflows.backup.BackupFormat format, Integer parallelism,
        Integer iterations, String storageClass, String user, String passwordRef, String binDirectory, List<String> previousKeyRefs) {
      this(store, prefix, keyRef, format, parallelism, iterations, storageClass, user, passwordRef, binDirectory, previousKeyRefs,
          null, null);
    }

    /** The seed's {@code -mtime +7}. */
    public static final int DEFAULT_DUMP_RETENTION_DAYS = 7;

    /** The constructor configuration binds to (the record has a second one). */
    @ConstructorBinding
    public BackupSettings {
      previousKeyRefs = previousKeyRefs == null ? List.of() : List.copyOf(previousKeyRefs);
      prefix = prefix == null || prefix.isBlank() ? "postgres-backups" : prefix;
      format = format == null ? io.pgrunbooks.workflows.backup.BackupFormat.COMPATIBLE : format;
      parallelism = parallelism == null || parallelism < 1 ? 2 : parallelism;
      iterations = iterations == null || iterations < 1 ? 100_000 : iterations;
      storageClass = storageClass == null || storageClass.isBlank() ? "STANDARD_IA" : storageClass;
      localDumpDirectory = localDumpDirectory == null || localDumpDirectory.isBlank() ? null : localDumpDirectory;
      dumpRetentionDays = dumpRetentionDays == null || dumpRetentionDays < 1 ? DEFAULT_DUMP_RETENTION_DAYS : dumpRetentionDays;
    }

    /** The same settings after a rotation: {@code keyRef} is the new key, the old ones become previous. */
    public BackupSettings rotatedTo(String newKeyRef, List<String> previous) {
      return new BackupSettings(
          store, prefix, newKeyRef, format, parallelism, iterations, storageClass, user, passwordRef, binDirectory, previous,
          localDumpDirectory, dumpRetentionDays);
    }
  }

  /**
   * Point-in-time recovery with pgBackRest ({@code pgrunbooks.targets.<name>.pitr}). The cluster
   * archives its WAL with pgBackRest's archive-push into this stanza; pgBackRest runs as the
   * host's OS user, with the data directory as its pg-path.
   *
   * @param stanza the pgBackRest stanza, e.g. {@code main}
   * @param configFile pgbackrest.conf (null: pgBackRest's default, /etc/pgbackrest/pgbackrest.conf
   *     or /etc/pgbackrest.conf)
   * @param repoPath repo1-path, when pgbackrest.conf does not say it or says something else
   */
  public record PitrSettings(String stanza, String configFile, String repoPath) {}

  /**
   * Host placement: PostgreSQL on this machine.
   *
   * @param dataDirectory the cluster's data directory (PGDATA)
   * @param binDirectory where pg_ctl and friends are, e.g. /usr/lib/postgresql/15/bin
   * @param osUser the operating-system user that owns the cluster (commands run as it)
   */
  public record HostPlacement(String dataDirectory, String binDirectory, String osUser) {}

  /**
   * Restores of a target ({@code pgrunbooks.targets.<name>.restore}).
   *
   * @param checkTables tables whose newest row proves a restore is recent (the seed checks users
   *     and messages); {@code schema.table} or a name in public; checked where they exist
   * @param createdAtColumn the column that says when a row was written (default created_at)
   * @param stagingDirectory where the staged mode decrypts a dump to (default java.io.tmpdir)
   * @param stagedMinBytes dumps at least this large are staged when the disk has room (default 256 MiB)
   * @param jobs pg_restore jobs in staged mode (default: the worker's processors)
   * @param openpgpKeyRingRef reference to an armored OpenPGP secret key ring, for gpg backups made
   *     to a public key (its passphrase is the restore's keyRef); symmetric gpg needs only keyRef
   */
  public record RestoreSettings(
      List<String> checkTables,
      String createdAtColumn,
      String stagingDirectory,
      Long stagedMinBytes,
      Integer jobs,
      String openpgpKeyRingRef) {

    public RestoreSettings {
      checkTables = checkTables == null ? List.of() : List.copyOf(checkTables);
      createdAtColumn = createdAtColumn == null || createdAtColumn.isBlank() ? "created_at" : createdAtColumn;
      stagingDirectory =
          stagingDirectory == null || stagingDirectory.isBlank() ? System.getProperty("java.io.tmpdir") : stagingDirectory;
      stagedMinBytes = stagedMinBytes == null || stagedMinBytes < 0 ? 256L << 20 : stagedMinBytes;
      jobs = jobs == null || jobs < 1 ? Runtime.getRuntime().availableProcessors() : jobs;
    }
  }

  /**
   * Replicas of a target ({@code pgrunbooks.targets.<name>.replication}), for Scenario 3.
   *
   * @param user the replication role pg_basebackup connects as (default: the primary endpoint's)
   * @param passwordRef its password (default: the primary endpoint's)
   * @param replicas where each replica runs; may be empty
   */
  public record ReplicationSettings(String user, String passwordRef, List<ReplicaPlacement> replicas) {
    public ReplicationSettings {
      replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }
  }

  /**
   * One replica ({@code replication.replicas[i]}).
   *
   * @param name its name; also the application_name it streams as (cluster_name or
   *     primary_conninfo's), which matches it to its row of pg_stat_replication
   * @param endpoint index of its JDBC endpoint in the target's {@code replicas} (default: its own
   *     position in this list)
   * @param slot the physical replication slot it streams from (null: none)
   * @param dataDirectory host: its data directory
   * @param binDirectory host: where pg_ctl and pg_basebackup are (default: the newest installed)
   * @param osUser host: the OS user owning it (default postgres)
   * @param logFile host: the server log pg_ctl start writes and the diagnosis reads (default
   *     {@code <dataDirectory>/log/} newest file, and {@code pg-runbooks-start.log} in the directory
   *     above the data directory for starts)
   * @param pod kubernetes: its pod, e.g. postgres-replica-0 (in kubernetes.namespace)
   * @param volumeClaim kubernetes: the claim a reinitialization deletes with the pod, e.g.
   *     data-postgres-replica-0; null: this runbook never deletes its volume (a person reinitializes it)
   */
  public record ReplicaPlacement(
      String name,
      Integer endpoint,
      String slot,
      String dataDirectory,
      String binDirectory,
      String osUser,
      String logFile,
      String pod,
      String volumeClaim) {
    public ReplicaPlacement {
      osUser = osUser == null || osUser.isBlank() ? "postgres" : osUser;
    }
  }
}
