package io.pgrunbooks.activities.backupfailure;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.host.PgCtl;
import io.pgrunbooks.activities.host.PostmasterOpts;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretArchives;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.secrets.SecretWriter;
import io.pgrunbooks.activities.kubernetes.PodExec;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StorageFailures;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.BackupRunResult;
import io.pgrunbooks.workflows.backupfailure.BackupError;
import io.pgrunbooks.workflows.backupfailure.BackupFailureActivities;
import io.pgrunbooks.workflows.backupfailure.BackupJobStatus;
import io.pgrunbooks.workflows.backupfailure.BackupRoleCheck;
import io.pgrunbooks.workflows.backupfailure.BackupRun;
import io.pgrunbooks.workflows.backupfailure.ConnectivityCheck;
import io.pgrunbooks.workflows.backupfailure.DatabaseService;
import io.pgrunbooks.workflows.backupfailure.KeyCheck;
import io.pgrunbooks.workflows.backupfailure.StoreProbe;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The backup-failure runbook's steps. Checks report what they find and never fail for it; the two
 * fixes re-check state before acting, so a retry after a worker crash does not act twice. Passwords
 * and keys are resolved here from their references and never leave this class (no log, no result).
 */
@Component
public class BackupFailureActivitiesImpl implements BackupFailureActivities {
  /** The seed's label of its backup Jobs. */
  static final String JOB_LABEL = "postgres-backup";
  static final int RECENT_RUNS = 5;
  static final int MAX_UNREADABLE = 20;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final SecretResolver secrets;
  private final StoreRegistry stores;
  private final S3Clients s3;
  private final Supplier<KubernetesClient> kubernetes;
  private final ObjectProvider<WorkflowClient> temporal;
  private final ObjectStoreProbe storeProbe;
  private final PrimaryStatefulSet statefulSet;
  private final ConfiguredListenAddresses listenAddresses;

  @Autowired
  public BackupFailureActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, SecretResolver secrets, StoreRegistry stores, S3Clients s3,
      Supplier<KubernetesClient> kubernetes, ObjectProvider<WorkflowClient> temporal) {
    // A short exec: the check runs within the QUICK timeout, and a pod that hangs tells nothing anyway.
    this(targets, connector, secrets, stores, s3, kubernetes, temporal,
        new PodShell((placement, command) -> PodExec.run(kubernetes.get(), placement, Duration.ofSeconds(20), command)));
  }

  /** With the pod shell that reads listen_addresses given (the tests stand one in: fabric8's mock API server cannot exec). */
  BackupFailureActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, SecretResolver secrets, StoreRegistry stores, S3Clients s3,
      Supplier<KubernetesClient> kubernetes, ObjectProvider<WorkflowClient> temporal, PodShell podShell) {
    this.targets = targets;
    this.connector = connector;
    this.secrets = secrets;
    this.stores = stores;
    this.s3 = s3;
    this.kubernetes = kubernetes;
    this.temporal = temporal;
    this.storeProbe = new ObjectStoreProbe(stores, s3);
    this.statefulSet = new PrimaryStatefulSet(kubernetes);
    this.listenAddresses = new ConfiguredListenAddresses(podShell);
  }

  @Override
  public BackupJobStatus readBackupJobStatus(String target) {
    TargetConfig config = targets.get(target);
    List<BackupRun> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    WorkflowClient client = temporal.getIfAvailable();
    if (client == null) {
      problems.add("this worker has no Temporal client: its own BackupDatabases runs were not listed");
    } else {
      try {
        runs.addAll(temporalRuns(client, target));
      } catch (RuntimeException e) {
        problems.add("the BackupDatabases runs could not be listed from Temporal visibility: " + e.getMessage());
      }
    }
    String log = null;
    if (config.hosting() == Hosting.KUBERNETES) {
      try {
        log = jobRuns(config, runs);
      } catch (RuntimeException e) {
        problems.add("the backup Jobs (app=" + JOB_LABEL + ") could not be read: " + e.getMessage());
      }
    }
    return new BackupJobStatus(runs, log, problems);
  }

  private List<BackupRun> temporalRuns(WorkflowClient client, String target) {
    String query = RunbookSearchAttributes.RUNBOOK.getName() + " = '" + BackupDatabasesWorkflow.TYPE + "' AND "
        + RunbookSearchAttributes.TARGET.getName() + " = '" + target.replace("'", "") + "'";
    List<BackupRun> runs = new ArrayList<>();
    // No ORDER BY: SQL visibility (the dev server's, PostgreSQL/MySQL persistence) refuses it, and its
    // default order is already newest first; the sort below makes that explicit for every backend.
    List<WorkflowExecutionMetadata> recent = new ArrayList<>(client.listExecutions(query).limit(RECENT_RUNS).toList());
    recent.sort(java.util.Comparator.comparing(WorkflowExecutionMetadata::getStartTime,
        java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
    for (WorkflowExecutionMetadata run : recent) {
      String id = run.getExecution().getWorkflowId();
      String source = "temporal:" + id;
      WorkflowExecutionStatus status = run.getStatus();
      List<BackupError> errors = new ArrayList<>();
      boolean succeeded = false;
      if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
          || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
        try {
          BackupRunResult result = client.newUntypedWorkflowStub(id, Optional.of(run.getExecution().getRunId()), Optional.empty())
              .getResult(10, TimeUnit.SECONDS, BackupRunResult.class);
          result.databases().stream().filter(d -> !d.succeeded())
              .forEach(d -> errors.add(new BackupError(source, d.errorType(), d.database() + ": " + d.error())));
          if (result.problem() != null) {
            errors.add(new BackupError(source, null, result.problem()));
          }
          succeeded = errors.isEmpty() && result.metadataKey() != null;
        } catch (WorkflowFailedException e) {
          Throwable cause = e.getCause();
          while (cause != null && !(cause instanceof ApplicationFailure) && cause.getCause() != null) {
            cause = cause.getCause();
          }
          String type = cause instanceof ApplicationFailure a ? a.getType() : null;
          String message = cause instanceof ApplicationFailure a ? a.getOriginalMessage() : e.getMessage();
          errors.add(new BackupError(source, type, message));
        } catch (Exception e) {
          errors.add(new BackupError(source, null, "result not readable: " + e.getMessage()));
        }
      }
      runs.add(new BackupRun("temporal", id, status.name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
          run.getStartTime() == null ? null : run.getStartTime().toString(), succeeded, errors));
    }
    return runs;
  }

  /** Adds the backup Jobs, newest first; returns the newest one's log tail. */
  private String jobRuns(TargetConfig config, List<BackupRun> runs) {
    String namespace = config.kubernetes().namespace();
    KubernetesClient k8s = kubernetes.get();
    List<Job> jobs = new ArrayList<>(k8s.batch().v1().jobs().inNamespace(namespace).withLabel("app", JOB_LABEL).list().getItems());
    jobs.sort(Comparator.comparing(BackupFailureActivitiesImpl::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    String newestLog = null;
    for (Job job : jobs.subList(0, Math.min(RECENT_RUNS, jobs.size()))) {
      String name = job.getMetadata().getName();
      var status = job.getStatus();
      boolean failed = status != null && status.getFailed() != null && status.getFailed() > 0;
      boolean done = status != null && status.getSucceeded() != null && status.getSucceeded() > 0;
      List<BackupError> errors = new ArrayList<>();
      if (newestLog == null) {
        try {
          newestLog = k8s.batch().v1().jobs().inNamespace(namespace).withName(name).tailingLines(100).getLog();
        } catch (RuntimeException e) {
          newestLog = "(log not readable: " + e.getMessage() + ")";
        }
        if (failed && newestLog != null) {
          newestLog.lines().filter(l -> l.toLowerCase().matches(".*(error|fatal|failed|denied|refused).*"))
              .forEach(l -> errors.add(new BackupError("kubernetes:" + name, null, l.strip())));
        }
      }
      if (failed && errors.isEmpty()) {
        errors.add(new BackupError("kubernetes:" + name, null, "job failed" + (status.getConditions() == null ? ""
            : ": " + status.getConditions().stream().map(c -> c.getReason() + " " + c.getMessage()).toList())));
      }
      runs.add(new BackupRun("kubernetes", name, failed ? "Failed" : done ? "Complete" : "Active",
          startedAt(job), done && !failed, errors));
    }
    return newestLog;
  }

  /** When the Job started (kubectl describe's Start Time), else when it was created (a Job not started yet). */
  private static String startedAt(Job job) {
    return job.getStatus() != null && job.getStatus().getStartTime() != null
        ? job.getStatus().getStartTime() : job.getMetadata().getCreationTimestamp();
  }

  @Override
  public ConnectivityCheck checkDatabaseConnectivity(String target) {
    TargetConfig config = targets.get(target);
    ConnectionTarget where = ConnectionTarget.of(config.primary(), "postgres", config.primary().user());
    String endpoint = where.host() + ":" + where.port();
    Boolean running = null;
    String postmaster = null;
    if (config.hosting() == Hosting.HOST && config.host() != null) {
      postmaster = PgCtl.runningPostmaster(config.host());
      running = postmaster != null;
    }
    String detail = null;
    boolean tcp;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(where.host(), where.port()), 5000);
      tcp = true;
    } catch (IOException e) {
      tcp = false;
      detail = "TCP: " + e.getMessage();
    }
    boolean select = false;
    String listen = null;
    if (tcp) {
      try (Connection c = connector.open(config.primary()); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT 1, current_setting('listen_addresses')")) {
          rs.next();
          select = rs.getInt(1) == 1;
          listen = rs.getString(2);
        }
      } catch (SQLException e) {
        detail = "SELECT 1: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")";
      }
    }
    if (!select && !Boolean.FALSE.equals(running)) {
      listen = listenAddresses.of(config);
    }
    DatabaseService service = config.hosting() == Hosting.KUBERNETES ? statefulSet.read(config) : null;
    return new ConnectivityCheck(config.hosting(), endpoint, tcp, select, running, listen, detail, service, postmaster);
  }

  @Override
  public String startStoppedDatabase(String target) {
    TargetConfig config = targets.get(target);
    if (config.hosting() != Hosting.HOST || config.host() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " is not host-hosted: this runbook does not restart a statefulset", "NotApplicable");
    }
    var host = config.host();
    if (OsCommand.run(host.osUser(), PgCtl.command(host, "status"), Duration.ofSeconds(30), null).ok()) {
      return "nothing: the cluster at " + host.dataDirectory() + " already runs (an earlier attempt of this step started it)";
    }
    String log = java.nio.file.Path.of(host.dataDirectory()).resolve("pg-runbooks-restart.log").toString();
    // the options it was last started with (port, settings given on the command line), as pg_ctl restart would
    List<String> command = new ArrayList<>(PgCtl.command(host, "start", "-w", "-t", "300", "-l", log));
    String options = PostmasterOpts.serverOptions(java.nio.file.Path.of(host.dataDirectory()));
    if (options != null && !options.isBlank()) {
      command.addAll(List.of("-o", options));
    }
    OsCommand.Result start = OsCommand.run(host.osUser(), command, Duration.ofMinutes(5), null);
    if (!start.ok()) {
      throw ApplicationFailure.newFailure("pg_ctl start of " + host.dataDirectory() + " failed (exit " + start.exitCode()
          + "): " + start.tail(10) + "; see " + log, "PgCtlFailed");
    }
    return "pg_ctl start of the cluster at " + host.dataDirectory();
  }

  @Override
  public BackupRoleCheck checkBackupRole(String target) {
    TargetConfig config = targets.get(target);
    String role = config.backupUser();
    boolean exists;
    boolean canLogin;
    int major;
    try (Connection c = connector.open(config.primary());
        PreparedStatement st = c.prepareStatement(
            "SELECT (SELECT rolcanlogin FROM pg_roles WHERE rolname = ?), current_setting('server_version_num')::int / 10000")) {
      st.setString(1, role);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        canLogin = rs.getBoolean(1);
        exists = !rs.wasNull();
        major = rs.getInt(2);
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    if (!exists) {
      return new BackupRoleCheck(role, false, false, false, "role " + role + " does not exist", List.of(), major);
    }
    String password = secrets.resolve(config.backupPasswordRef());
    List<String> unreadable = new ArrayList<>();
    for (String db : databases(config)) {
      try (Connection c = connector.open(ConnectionTarget.of(config.primary(), db, role), password);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE c.relkind IN ('r','p','m') AND n.nspname NOT IN ('pg_catalog','information_schema')"
                  + " AND n.nspname NOT LIKE 'pg_toast%' AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1, 2")) {
        while (rs.next() && unreadable.size() < MAX_UNREADABLE) {
          unreadable.add(db + "." + rs.getString(1) + "." + rs.getString(2));
        }
      } catch (SQLException e) {
        return new BackupRoleCheck(role, true, canLogin, false, e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", List.of(), major);
      }
    }
    return new BackupRoleCheck(role, true, canLogin, true, null, unreadable, major);
  }

  /**
   * CREATEDB as well as read access: VerifyBackup's test restore runs as the backup role into a
   * scratch database it creates and drops, and a backup that cannot be verified is not the end of this runbook.
   */
  @Override
  public String repairBackupRole(String target) {
    TargetConfig config = targets.get(target);
    String role = config.backupUser();
    if (role.equals(config.primary().user())) {
      throw ApplicationFailure.newNonRetryableFailure("the backup role of target " + target + " is the primary's own role "
          + role + ": set pgrunbooks.targets." + target + ".backup.user to a role of its own before repairing it", "NotApplicable");
    }
    String password = secrets.resolve(config.backupPasswordRef());
    String adminPassword = secrets.resolve(config.primary().passwordRef());
    String quoted = Identifiers.quote(role);
    List<String> done = new ArrayList<>();
    try (Connection c = connector.open(
        ConnectionTarget.of(config.primary(), ConnectionTarget.maintenanceDatabase(config.primary()), config.primary().user()), adminPassword)) {
      boolean exists;
      try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        st.setString(1, role);
        try (ResultSet rs = st.executeQuery()) {
          exists = rs.next();
        }
      }
      String passwordClause = password == null ? "" : " PASSWORD " + literal(c, password);
      try (Statement st = c.createStatement()) {
        st.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + quoted + " LOGIN CREATEDB" + passwordClause);
      }
      done.add((exists ? "reset role " : "created role ") + role + " with LOGIN CREATEDB"
          + (password == null ? "" : " and its password from " + config.backupPasswordRef()));
      int major = c.getMetaData().getDatabaseMajorVersion();
      if (major >= 14) {
        try (Statement st = c.createStatement()) {
          st.execute("GRANT pg_read_all_data TO " + quoted);
        }
        done.add("granted pg_read_all_data");
      }
      for (String db : databases(config)) {
        try (Statement st = c.createStatement()) {
          st.execute("GRANT CONNECT ON DATABASE " + Identifiers.quote(db) + " TO " + quoted);
        }
        if (major < 14) {
          grantSchemas(config, db, quoted, adminPassword);
        }
      }
      done.add("granted CONNECT on " + databases(config) + (major < 14 ? " and USAGE, SELECT on every schema" : ""));
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    return String.join("; ", done);
  }

  private void grantSchemas(TargetConfig config, String db, String quotedRole, String adminPassword) throws SQLException {
    try (Connection c = connector.open(ConnectionTarget.of(config.primary(), db, config.primary().user()), adminPassword);
        Statement st = c.createStatement()) {
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog','information_schema')"
          + " AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%'")) {
        while (rs.next()) {
          schemas.add(rs.getString(1));
        }
      }
      for (String schema : schemas) {
        st.execute("GRANT USAGE ON SCHEMA " + Identifiers.quote(schema) + " TO " + quotedRole);
        st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + Identifiers.quote(schema) + " TO " + quotedRole);
        st.execute("GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + Identifiers.quote(schema) + " TO " + quotedRole);
      }
    }
  }

  /** The password as a SQL literal, quoted by the server's own rules (never logged: the statement is not). */
  private static String literal(Connection c, String value) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT quote_literal(?)")) {
      st.setString(1, value);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static List<String> databases(TargetConfig config) {
    return config.databases().isEmpty() ? List.of(ConnectionTarget.maintenanceDatabase(config.primary())) : config.databases();
  }

  @Override
  public KeyCheck checkEncryptionKey(String target) {
    TargetConfig config = targets.get(target);
    String ref = config.backup() == null ? null : config.backup().keyRef();
    if (ref == null || ref.isBlank()) {
      return new KeyCheck(null, false, 0, null, false,
          "no encryption key is configured: set pgrunbooks.targets." + target + ".backup.key-ref (env:, file: or k8s:)",
          SecretWriter.whyNotWritable(null), null);
    }
    String writeProblem = SecretWriter.whyNotWritable(ref);
    String passphrase;
    try {
      passphrase = secrets.resolve(ref);
    } catch (ApplicationFailure e) {
      return new KeyCheck(ref, false, 0, null, false, e.getOriginalMessage()
          + "; configure it, or point pgrunbooks.targets." + target + ".backup.key-ref at where the key is", writeProblem, null);
    }
    if (passphrase == null || passphrase.isEmpty()) {
      return new KeyCheck(ref, false, 0, null, false, "key reference " + ref + " resolves to an empty passphrase", writeProblem, null);
    }
    String keyId = KeyIds.ofPassphrase(passphrase);
    String archiveRef = writeProblem == null ? SecretArchives.reference(ref, keyId) : null;
    boolean roundTrip;
    try {
      byte[] text = "pg-runbooks key round trip".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
      try (OutputStream out = EncryptedBackups.encrypt(encrypted, passphrase, 1000)) {
        out.write(text);
      }
      try (var in = EncryptedBackups.openAnyPayload(new ByteArrayInputStream(encrypted.toByteArray()), KeyMaterial.passphrase(passphrase, 1000))) {
        roundTrip = java.util.Arrays.equals(text, in.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      return new KeyCheck(ref, true, passphrase.length(), keyId, false,
          "encryption round trip failed: " + e.getClass().getSimpleName(), writeProblem, archiveRef);
    }
    String problem = roundTrip ? null : "encryption round trip did not give the text back";
    return new KeyCheck(ref, true, passphrase.length(), keyId, roundTrip, problem, writeProblem, archiveRef);
  }

  @Override
  public StoreProbe probeObjectStore(String target) {
    return storeProbe.probe(target, targets.get(target));
  }

  /**
   * CreateBucket with the store's own credentials (outside us-east-1 with the store's region as its
   * location). A bucket that exists and is ours (BucketAlreadyOwnedByYou, or HeadBucket answers) is
   * done: an earlier attempt of this step may have created it before the worker crashed.
   */
  @Override
  public String createBackupBucket(String target) {
    TargetConfig config = targets.get(target);
    String store = config.backup() == null ? null : config.backup().store();
    if (store == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no backup store: set pgrunbooks.targets." + target + ".backup.store", "NoBackupStore");
    }
    StoreConfig storeConfig = stores.get(store);
    String bucket = storeConfig.bucket();
    S3Client client = s3.client(store);
    try {
      client.headBucket(r -> r.bucket(bucket));
      return "nothing: bucket " + bucket + " of store " + store + " exists already (an earlier attempt or someone else created it)";
    } catch (NoSuchBucketException e) {
      // create it below
    } catch (AwsServiceException e) {
      if (e.statusCode() != 404) {
        throw StorageFailures.of(e, store, bucket, null);
      }
    } catch (RuntimeException e) {
      throw StorageFailures.of(e, store, bucket, null);
    }
    String region = storeConfig.region();
    try {
      client.createBucket(r -> {
        r.bucket(bucket);
        if (region != null && !region.isBlank() && !"us-east-1".equals(region)) {
          r.createBucketConfiguration(c -> c.locationConstraint(region));
        }
      });
    } catch (BucketAlreadyOwnedByYouException e) {
      return "nothing: bucket " + bucket + " of store " + store + " exists already (created between the check and the create)";
    } catch (RuntimeException e) {
      throw StorageFailures.of(e, store, bucket, null);
    }
    return "created bucket " + bucket + " in store " + store
        + (storeConfig.endpoint() == null ? "" : " (endpoint " + storeConfig.endpoint() + ")");
  }
}
