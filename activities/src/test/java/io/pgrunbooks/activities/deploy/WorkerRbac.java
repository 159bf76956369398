package io.pgrunbooks.activities.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's permissions as deploy/kubernetes declares them: the rules of every Role bound to its
 * ServiceAccount by a RoleBinding (they apply to namespaced calls) and of every ClusterRole bound by a
 * ClusterRoleBinding (they apply to all). Namespaces themselves are configuration (the targets'
 * namespaces), so a Role's rule is taken to hold in whichever namespace a call names.
 */
record WorkerRbac(List<Grant> grants) {
  static final String WORKER_ACCOUNT = "pg-runbooks-worker";
  static final String DEPLOY_NAMESPACE = "pg-runbooks";

  /** One rule of one Role or ClusterRole; {@code clusterWide}: bound by a ClusterRoleBinding. */
  record Grant(String roleKind, String roleName, PolicyRule rule, boolean clusterWide) {
    String describe() {
      return roleKind + "/" + roleName + " " + rule.getApiGroups() + " " + rule.getResources() + " " + rule.getVerbs()
          + (rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? "" : " names " + rule.getResourceNames());
    }
  }

  /** A Kubernetes API request as RBAC sees it. {@code namespace} null: cluster-scoped or across namespaces. */
  record ApiCall(String verb, String apiGroup, String resource, String subresource, String namespace, String name) {
    String rbacResource() {
      return subresource == null ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + " " + rbacResource()
          + (name == null ? "" : " " + name) + (namespace == null ? " (cluster-wide)" : " in " + namespace);
    }
  }

  private static final Pattern RESOURCE_PATH = Pattern.compile(
      "^/(?:api/(?<coreVersion>[^/]+)|apis/(?<group>[^/]+)/(?<version>[^/]+))"
          + "(?:/namespaces/(?<ns>[^/]+))?(?:/(?<resource>[^/]+)(?:/(?<name>[^/]+)(?:/(?<sub>[^/]+))?)?)?/?$");

  /**
   * The RBAC view of a request: verb from the method (a GET of a collection is list, or watch with
   * {@code watch=true}; exec, attach and portforward are create, as the API server authorizes their
   * websocket GET), group, resource, subresource. Empty for non-resource URLs (/version, /api, /apis),
   * which every authenticated account may read (system:discovery).
   */
  static Optional<ApiCall> of(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    Matcher m = RESOURCE_PATH.matcher(path);
    if (!m.matches() || (m.group("resource") == null && m.group("ns") == null)) {
      return Optional.empty();
    }
    String group = m.group("group") == null ? "" : m.group("group");
    String namespace = m.group("ns");
    String resource = m.group("resource");
    String name = m.group("name");
    String sub = m.group("sub");
    if (resource == null) { // /api/v1/namespaces/{ns}: the namespace object itself
      resource = "namespaces";
      name = namespace;
      namespace = null;
    }
    boolean watch = Pattern.compile("(^|&)watch=(true|1)(&|$)").matcher(query).find();
    String verb = switch (method) {
      case "GET" -> name == null ? (watch ? "watch" : "list") : (watch ? "watch" : "get");
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
    if (sub != null && Set.of("exec", "attach", "portforward").contains(sub)) {
      verb = "create";
    }
    return Optional.of(new ApiCall(verb, group, resource, sub, namespace, name));
  }

  /** The grant that allows a call, if any. */
  Optional<Grant> allowing(ApiCall call) {
    return grants.stream().filter(g -> allows(g, call)).findFirst();
  }

  private static boolean allows(Grant g, ApiCall call) {
    PolicyRule r = g.rule();
    if (call.namespace() == null && !g.clusterWide()) {
      return false; // cluster-scoped, or across all namespaces: only a ClusterRole can grant it
    }
    if (!anyOf(r.getApiGroups(), call.apiGroup()) || !anyOf(r.getResources(), call.rbacResource())
        || !anyOf(r.getVerbs(), call.verb())) {
      return false;
    }
    // resourceNames hold the names the deployment's configuration uses (the targets' k8s: references);
    // the tests' fixtures use their own, so a named rule stands for "one object by its name": never a
    // list, watch, create or deletecollection, which RBAC cannot limit by name.
    List<String> names = r.getResourceNames();
    return names == null || names.isEmpty()
        || (call.name() != null && !Set.of("list", "watch", "create", "deletecollection").contains(call.verb()));
  }

  private static boolean anyOf(List<String> granted, String wanted) {
    return granted != null && (granted.contains("*") || granted.contains(wanted));
  }

  /** These permissions with one verb on one resource of one grant taken away. */
  WorkerRbac without(Grant grant, String resource, String verb) {
    List<Grant> rest = new ArrayList<>();
    for (Grant g : grants) {
      if (g != grant) {
        rest.add(g);
        continue;
      }
      for (String res : g.rule().getResources()) {
        List<String> verbs = new ArrayList<>(g.rule().getVerbs());
        if (res.equals(resource)) {
          verbs.remove(verb);
        }
        if (!verbs.isEmpty()) {
          rest.add(new Grant(g.roleKind(), g.roleName(),
              new PolicyRuleBuilder(g.rule()).withResources(res).withVerbs(verbs).build(), g.clusterWide()));
        }
      }
    }
    return new WorkerRbac(rest);
  }

  /** Every object of the kustomization in {@code dir}, loaded with fabric8. */
  static List<HasMetadata> loadManifests(Path dir) throws IOException {
    KubernetesSerialization serialization = new KubernetesSerialization();
    @SuppressWarnings("unchecked")
    Map<String, Object> kustomization = serialization.unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
    @SuppressWarnings("unchecked")
    List<String> files = (List<String>) kustomization.get("resources");
    List<HasMetadata> objects = new ArrayList<>();
    for (String file : files) {
      Object loaded = serialization.unmarshal(Files.readString(dir.resolve(file)));
      if (loaded instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else if (loaded instanceof KubernetesList list) {
        objects.addAll(list.getItems());
      } else {
        objects.add((HasMetadata) loaded);
      }
    }
    return objects;
  }

  /** The worker's permissions among these objects. */
  static WorkerRbac of(List<HasMetadata> objects) {
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof RoleBinding b && boundToWorker(b.getSubjects())) {
        Role role = find(objects, Role.class, b.getRoleRef(), b.getMetadata().getNamespace());
        role.getRules().forEach(r -> grants.add(new Grant("Role", role.getMetadata().getName(), r, false)));
      } else if (o instanceof ClusterRoleBinding b && boundToWorker(b.getSubjects())) {
        ClusterRole role = find(objects, ClusterRole.class, b.getRoleRef(), null);
        role.getRules().forEach(r -> grants.add(new Grant("ClusterRole", role.getMetadata().getName(), r, true)));
      }
    }
    return new WorkerRbac(grants);
  }

  static boolean boundToWorker(List<Subject> subjects) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && WORKER_ACCOUNT.equals(s.getName())
        && DEPLOY_NAMESPACE.equals(s.getNamespace()));
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, RoleRef ref, String namespace) {
    if (!kind.getSimpleName().equals(ref.getKind())) {
      throw new AssertionError("a binding refers to a " + ref.getKind() + " where a " + kind.getSimpleName() + " was expected: " + ref);
    }
    return objects.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(ref.getName()))
        .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the binding's " + ref.getKind() + " " + ref.getName()
            + (namespace == null ? "" : " in " + namespace) + " is not among the manifests"));
  }
}
