package io.pgrunbooks.activities.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrunbooks.activities.deploy.RecordingHttpClientFactory.Call;
import io.pgrunbooks.activities.deploy.WorkerRbac.ApiCall;
import io.pgrunbooks.activities.deploy.WorkerRbac.Grant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * deploy/kubernetes against the Kubernetes API calls the activities really make. Every test class of
 * this module that runs activities on fabric8's mock API server ({@code @EnableKubernetesMockClient})
 * is run again here with {@link RecordingHttpClientFactory} recording each request and the code that
 * sent it; the requests the code under test sent (not the fixtures' own) are mapped to RBAC's verb,
 * group, resource and subresource and must each be allowed by the worker's Role or ClusterRole. The
 * other way round, every verb on every resource the manifests grant must be needed by some recorded
 * call: taking any one away makes the check fail.
 */
class KubernetesRbacTest {
  private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");

  /** Mock-server test classes not run again here, each with the reason. */
  private static final Map<String, String> NOT_RECORDED = Map.of(
      "RestoreFromBackupTest", "a minute of real PostgreSQL restores; its only Kubernetes calls are ApplicationDeployments'"
          + " get and merge patch, which ApplicationActivitiesImplTest and ConnectionActivitiesImplTest record");

  /**
   * Grants the code needs whose calls no mock-server test makes, each with the code that makes it. A grant
   * neither recorded nor listed here fails {@link #everyGrantIsNeededByACall}, and so does one listed here
   * that a test has come to record (then remove it from this list).
   */
  private static final Map<String, String> NEEDED_BUT_NOT_RECORDED = Map.of(
      "create pods/exec", "PodExec.run (df, pg_ctl, the server's log files in the pod): the tests stand in a PodShell lambda");

  private static List<HasMetadata> manifests;
  private static WorkerRbac rbac;
  private static List<Call> calls;
  private static TestExecutionSummary summary;
  private static List<Class<?>> recordedClasses;

  @BeforeAll
  static void recordTheActivitiesCalls() throws Exception {
    manifests = WorkerRbac.loadManifests(DEPLOY);
    rbac = WorkerRbac.of(manifests);
    recordedClasses = kubernetesTestClasses();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    RecordingHttpClientFactory.CALLS.clear();
    RecordingHttpClientFactory.recording = true;
    try {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(recordedClasses.stream().map(c -> selectClass(c)).toList()).build(), listener);
    } finally {
      RecordingHttpClientFactory.recording = false;
    }
    summary = listener.getSummary();
    calls = List.copyOf(RecordingHttpClientFactory.CALLS);
  }

  /** This module's test classes that use fabric8's mock API server. */
  private static List<Class<?>> kubernetesTestClasses() throws Exception {
    Path root = Path.of(KubernetesRbacTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith("Test.class")).sorted().toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, KubernetesRbacTest.class.getClassLoader());
        if (type.isAnnotationPresent(EnableKubernetesMockClient.class) && !NOT_RECORDED.containsKey(type.getSimpleName())) {
          found.add(type);
        }
      }
    }
    return found;
  }

  @Test
  void theRecordedTestsRanAndPassed() {
    assertThat(recordedClasses).as("test classes using the mock API server").hasSizeGreaterThan(10);
    assertThat(summary.getTestsFoundCount()).isPositive();
    List<String> failures = summary.getFailures().stream()
        .map(f -> f.getTestIdentifier().getDisplayName() + " (" + f.getTestIdentifier().getUniqueId() + "): " + f.getException())
        .toList();
    assertThat(failures).as("the recorded tests must pass, or the calls recorded are not the code's whole story").isEmpty();
    assertThat(calls.stream().filter(Call::fromMainCode).count())
        .as("requests sent by the activities (is RecordingHttpClientFactory the client's factory?)").isGreaterThan(50);
  }

  @Test
  void everyCallTheActivitiesMakeIsAllowed() {
    assertThat(denied(rbac)).as("calls the activities make that deploy/kubernetes/rbac.yaml does not allow").isEmpty();
  }

  @Test
  void everyGrantIsNeededByACall() {
    Map<String, String> base = denied(rbac);
    List<String> unneeded = new ArrayList<>();
    List<String> recordedAfterAll = new ArrayList<>();
    for (Grant grant : rbac.grants()) {
      for (String resource : grant.rule().getResources()) {
        for (String verb : grant.rule().getVerbs()) {
          boolean needed = !base.keySet().containsAll(denied(rbac.without(grant, resource, verb)).keySet());
          boolean listed = NEEDED_BUT_NOT_RECORDED.containsKey(verb + " " + resource);
          if (!needed && !listed) {
            unneeded.add(verb + " " + resource + " of " + grant.describe());
          } else if (needed && listed) {
            recordedAfterAll.add(verb + " " + resource);
          }
        }
      }
    }
    assertThat(unneeded).as("grants no recorded call needs (remove them, or exercise the code that needs them in a test)").isEmpty();
    assertThat(recordedAfterAll).as("grants listed as not recorded that a test now records: drop them from NEEDED_BUT_NOT_RECORDED")
        .isEmpty();
  }

  @Test
  void aRoleWithoutAnyOneRuleFailsTheCheckNamingTheCall() {
    Map<String, String> base = denied(rbac);
    for (Grant grant : rbac.grants()) {
      if (NEEDED_BUT_NOT_RECORDED.keySet().containsAll(grant.rule().getResources().stream()
          .flatMap(r -> grant.rule().getVerbs().stream().map(v -> v + " " + r)).toList())) {
        continue;
      }
      WorkerRbac withoutRule = new WorkerRbac(rbac.grants().stream().filter(g -> g != grant).toList());
      Map<String, String> denied = new LinkedHashMap<>(denied(withoutRule));
      denied.keySet().removeAll(base.keySet());
      assertThat(denied).as("the calls refused without " + grant.describe()).isNotEmpty();
      assertThat(denied.values()).as("each refusal names the code that made the call")
          .allSatisfy(callers -> assertThat(callers).startsWith("io.pgrunbooks.activities."));
    }
  }

  @Test
  void aRoleWithoutThePodLogRuleFailsTheCheckNamingTheCalls() {
    Grant logs = rbac.grants().stream().filter(g -> g.rule().getResources().contains("pods/log")).findFirst().orElseThrow();
    Map<String, String> denied = denied(rbac.without(logs, "pods/log", "get"));
    assertThat(denied.keySet()).isNotEmpty().allSatisfy(call -> assertThat(call).startsWith("get core pods/log "));
    assertThat(String.join("; ", denied.values())).contains("io.pgrunbooks.activities.diagnosis.KubernetesDiagnosis",
        "io.pgrunbooks.activities.crashrecovery.KubernetesCrashRecovery");
  }

  @Test
  void requestsAreReadAsRbacDoes() {
    assertThat(WorkerRbac.of("GET", "/api/v1/namespaces/ns/pods/p-0/log?tailLines=20")).contains(
        new ApiCall("get", "", "pods", "log", "ns", "p-0"));
    assertThat(WorkerRbac.of("GET", "/api/v1/namespaces/ns/pods/p-0/exec?command=df&stdout=true")).contains(
        new ApiCall("create", "", "pods", "exec", "ns", "p-0"));
    assertThat(WorkerRbac.of("GET", "/api/v1/namespaces/ns/pods?labelSelector=app%3Dpostgres")).contains(
        new ApiCall("list", "", "pods", null, "ns", null));
    assertThat(WorkerRbac.of("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn")).contains(
        new ApiCall("list", "", "pods", null, null, null));
    assertThat(WorkerRbac.of("GET", "/api/v1/namespaces/ns/pods?watch=true")).contains(
        new ApiCall("watch", "", "pods", null, "ns", null));
    assertThat(WorkerRbac.of("PATCH", "/apis/apps/v1/namespaces/ns/statefulsets/db/scale")).contains(
        new ApiCall("patch", "apps", "statefulsets", "scale", "ns", "db"));
    assertThat(WorkerRbac.of("GET", "/apis/storage.k8s.io/v1/storageclasses/fast")).contains(
        new ApiCall("get", "storage.k8s.io", "storageclasses", null, null, "fast"));
    assertThat(WorkerRbac.of("DELETE", "/apis/monitoring.coreos.com/v1/namespaces/m/prometheusrules/r")).contains(
        new ApiCall("delete", "monitoring.coreos.com", "prometheusrules", null, "m", "r"));
    assertThat(WorkerRbac.of("GET", "/version")).isEmpty();
    assertThat(WorkerRbac.of("GET", "/apis")).isEmpty();
  }

  @Test
  void manifestsHoldTheWorkerAndTheApiWithConfigurationAndSecretsByReference() {
    assertThat(manifests).filteredOn(Deployment.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("pg-runbooks-worker", "pg-runbooks-api");
    assertThat(manifests).filteredOn(Service.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("pg-runbooks-worker", "pg-runbooks-api");
    assertThat(manifests).filteredOn(Secret.class::isInstance).as("secrets are referenced, never shipped").isEmpty();
    ServiceAccount api = manifests.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
        .filter(a -> a.getMetadata().getName().equals("pg-runbooks-api")).findFirst().orElseThrow();
    assertThat(api.getAutomountServiceAccountToken()).as("the API never calls Kubernetes").isFalse();
    assertThat(manifests).filteredOn(o -> o instanceof RoleBinding || o instanceof ClusterRoleBinding)
        .allSatisfy(b -> assertThat(WorkerRbac.boundToWorker(b instanceof RoleBinding rb ? rb.getSubjects()
            : ((ClusterRoleBinding) b).getSubjects())).as("binding " + b.getMetadata().getName() + " is the worker's").isTrue());

    for (Deployment d : manifests.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList()) {
      var spec = d.getSpec().getTemplate().getSpec();
      assertThat(spec.getServiceAccountName()).isEqualTo(d.getMetadata().getName());
      var volumes = spec.getVolumes().stream().filter(v -> v.getConfigMap() != null).toList();
      assertThat(volumes).as(d.getMetadata().getName() + " reads application.yml from a ConfigMap").hasSize(1);
      String configMap = volumes.get(0).getConfigMap().getName();
      assertThat(manifests).filteredOn(ConfigMap.class::isInstance)
          .filteredOn(c -> c.getMetadata().getName().equals(configMap))
          .singleElement().satisfies(c -> assertThat(((ConfigMap) c).getData()).containsKey("application.yml"));
      for (EnvVar env : spec.getContainers().get(0).getEnv()) {
        if (env.getName().matches(".*(PASSWORD|TOKEN|SECRET|KEY).*")) {
          assertThat(env.getValue()).as(d.getMetadata().getName() + " " + env.getName() + " comes from a Secret").isNull();
          assertThat(env.getValueFrom().getSecretKeyRef()).isNotNull();
        }
      }
    }
  }

  /** The recorded calls of the code under test that these permissions refuse, with the code that made each. */
  private static Map<String, String> denied(WorkerRbac permissions) {
    Map<String, String> denied = new LinkedHashMap<>();
    for (Call call : calls) {
      if (!call.fromMainCode()) {
        continue;
      }
      Optional<ApiCall> api = WorkerRbac.of(call.method(), call.pathAndQuery());
      if (api.isPresent() && permissions.allowing(api.get()).isEmpty()) {
        denied.merge(api.get().toString(), call.callerName() + " (" + call.method() + " " + call.pathAndQuery() + ")",
            (a, b) -> a.contains(b) ? a : a + "; " + b);
      }
    }
    return denied;
  }
}
