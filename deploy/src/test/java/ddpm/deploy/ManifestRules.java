package ddpm.deploy;

import static ddpm.deploy.Manifests.at;
import static ddpm.deploy.Manifests.describe;
import static ddpm.deploy.Manifests.object;
import static ddpm.deploy.Manifests.objects;
import static ddpm.deploy.Manifests.string;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.cli.Ddpm;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The suite's rules for its Kubernetes objects, beyond Kubernetes' own schemas: what makes a manifest that the API
 * server accepts also a suite that starts, is probed, is reached and scales. {@link #check} lists every broken
 * rule, each naming the object; an empty list means all hold.
 */
final class ManifestRules {
  /** Each object's schema: the client library's model of its kind, whose check refuses unknown or missing fields. */
  private static final Map<String, Schema> SCHEMAS = Map.of(
      "v1/Namespace", V1Namespace::validateJsonElement,
      "v1/PersistentVolumeClaim", V1PersistentVolumeClaim::validateJsonElement,
      "v1/Service", V1Service::validateJsonElement,
      "v1/ConfigMap", V1ConfigMap::validateJsonElement,
      "apps/v1/Deployment", V1Deployment::validateJsonElement,
      "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::validateJsonElement,
      "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::validateJsonElement,
      "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::validateJsonElement);
  /** The Prometheus Operator's kind, which client-java has no model of: checked by {@link #serviceMonitors}. */
  private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";

  /** What grpc.health.v1 answers for, per service: the whole server ("") and each gRPC service it serves. */
  private static final Map<String, Set<String>> HEALTH_NAMES = Map.of(
      "scheduler", Set.of("", ScheduleServiceGrpc.SERVICE_NAME),
      "denoiser", Set.of("", DenoiserServiceGrpc.SERVICE_NAME, ModelControlServiceGrpc.SERVICE_NAME),
      "sampler", Set.of("", SamplerServiceGrpc.SERVICE_NAME),
      "trainer", Set.of("", TrainerServiceGrpc.SERVICE_NAME));
  static final String GPU = "nvidia.com/gpu";
  private static final String GPU_IMAGE_SUFFIX = "-gpu";
  private static final Pattern CLUSTER_DNS =
      Pattern.compile("dns:///([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.cluster\\.local:(\\d+)");
  /** `ddpm serve` flags that name a file or folder in the pod, and whether the service writes there. */
  private static final Map<String, Boolean> PATH_FLAGS =
      Map.of("--models", false, "--data", false, "--work", true, "--roles", false, "--token-file", false);

  private final Manifests manifests;
  private final String imageTag;
  private final Set<String> gpuServices;
  private final List<String> problems = new ArrayList<>();

  private ManifestRules(Manifests manifests, String imageTag, Set<String> gpuServices) {
    this.manifests = manifests;
    this.imageTag = imageTag;
    this.gpuServices = gpuServices;
  }

  /**
   * Every broken rule of {@code manifests}, whose images must carry {@code imageTag} and whose services in
   * {@code gpuServices}, and only those, must run on a GPU.
   */
  static List<String> check(Manifests manifests, String imageTag, Set<String> gpuServices) {
    ManifestRules rules = new ManifestRules(manifests, imageTag, gpuServices);
    rules.schemas();
    rules.selectors();
    rules.services();
    rules.networkPolicies();
    rules.autoscalers();
    rules.serviceMonitors();
    for (JsonObject deployment : manifests.ofKind("Deployment")) {
      for (JsonObject container : objects(deployment, "spec", "template", "spec", "containers")) {
        Pod pod = new Pod(deployment, container, rules.serve(deployment, container));
        rules.probes(pod);
        rules.resources(pod);
        rules.security(pod);
        rules.image(pod);
        rules.gpu(pod);
        rules.serveFlags(pod);
        rules.peers(pod);
        rules.volumes(pod);
      }
    }
    return List.copyOf(rules.problems);
  }

  /**
   * One container of a Deployment's pods, the suite's service it runs (its app.kubernetes.io/name) and its args as
   * `ddpm serve` parses them (null where they do not parse).
   */
  private record Pod(JsonObject deployment, JsonObject container, ParseResult serve) {
    String service() {
      return serviceOf(deployment);
    }

    String namespace() {
      return string(deployment, "metadata", "namespace");
    }

    JsonObject spec() {
      return object(deployment, "spec", "template", "spec");
    }

    String describe() {
      return Manifests.describe(deployment) + " container " + string(container, "name");
    }

    boolean hasPort(JsonElement port) {
      return hasPort(container, port);
    }

    static boolean hasPort(JsonObject container, JsonElement port) {
      return objects(container, "ports").stream().anyMatch(p -> port.isJsonPrimitive()
          && (port.getAsJsonPrimitive().isNumber()
              ? port.getAsInt() == p.get("containerPort").getAsInt()
              : port.getAsString().equals(string(p, "name"))));
    }

    Integer portNamed(String name) {
      return objects(container, "ports").stream().filter(p -> name.equals(string(p, "name")))
          .map(p -> p.get("containerPort").getAsInt()).findFirst().orElse(null);
    }
  }

  /** The suite's service a Deployment runs: its pods' app.kubernetes.io/name. */
  private static String serviceOf(JsonObject deployment) {
    return string(deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/name");
  }

  @FunctionalInterface
  private interface Schema {
    void validate(JsonElement object) throws IOException;
  }

  private void problem(String message) {
    problems.add(message);
  }

  private void schemas() {
    for (JsonObject object : manifests.all()) {
      String type = string(object, "apiVersion") + "/" + string(object, "kind");
      Schema schema = SCHEMAS.get(type);
      if (schema == null) {
        if (!type.equals(SERVICE_MONITOR)) {
          problem(describe(object) + ": no schema for " + type + " here: add its model to ManifestRules.SCHEMAS");
        }
        continue;
      }
      try {
        schema.validate(object);
      } catch (IOException | RuntimeException e) {
        problem(describe(object) + ": not a valid " + type + ": " + e.getMessage());
      }
    }
  }

  private void selectors() {
    for (JsonObject deployment : manifests.ofKind("Deployment")) {
      if (!Manifests.matches(object(deployment, "spec", "selector", "matchLabels"),
          object(deployment, "spec", "template", "metadata", "labels"))) {
        problem(describe(deployment) + ": spec.selector does not match the pod template's labels");
      }
    }
    for (JsonObject budget : manifests.ofKind("PodDisruptionBudget")) {
      selectsPods(budget, object(budget, "spec", "selector", "matchLabels"));
    }
  }

  private List<JsonObject> selectsPods(JsonObject object, JsonObject selector) {
    List<JsonObject> selected = manifests.deploymentsSelectedBy(string(object, "metadata", "namespace"), selector);
    if (selected.isEmpty()) {
      problem(describe(object) + ": selector " + selector + " matches no Deployment's pods");
    }
    return selected;
  }

  private void services() {
    for (JsonObject service : manifests.ofKind("Service")) {
      for (JsonObject deployment : selectsPods(service, object(service, "spec", "selector"))) {
        for (JsonObject port : objects(service, "spec", "ports")) {
          JsonElement target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
          if (!anyContainerHas(deployment, target)) {
            problem(describe(service) + ": targetPort " + target + " is no container port of "
                + describe(deployment));
          }
        }
      }
    }
  }

  private static boolean anyContainerHas(JsonObject deployment, JsonElement port) {
    return objects(deployment, "spec", "template", "spec", "containers").stream()
        .anyMatch(c -> Pod.hasPort(c, port));
  }

  private void networkPolicies() {
    for (JsonObject policy : manifests.ofKind("NetworkPolicy")) {
      JsonObject podSelector = object(policy, "spec", "podSelector", "matchLabels");
      String namespace = string(policy, "metadata", "namespace");
      List<JsonObject> pods = podSelector == null
          ? manifests.ofKind("Deployment").stream().filter(d -> namespace.equals(string(d, "metadata", "namespace")))
              .toList()
          : selectsPods(policy, podSelector);
      for (JsonObject rule : objects(policy, "spec", "ingress")) {
        for (JsonObject peer : objects(rule, "from")) {
          JsonObject from = object(peer, "podSelector", "matchLabels");
          if (from != null) {
            selectsPods(policy, from);
          }
        }
        for (JsonObject port : objects(rule, "ports")) {
          for (JsonObject deployment : pods) {
            if (!anyContainerHas(deployment, port.get("port"))) {
              problem(describe(policy) + ": port " + port.get("port") + " is no container port of "
                  + describe(deployment));
            }
          }
        }
      }
    }
  }

  private void autoscalers() {
    String adapterRules = manifests.ofKind("ConfigMap").stream()
        .map(c -> string(c, "data", "config.yaml")).filter(Objects::nonNull).findFirst().orElse("");
    for (JsonObject autoscaler : manifests.ofKind("HorizontalPodAutoscaler")) {
      String target = string(autoscaler, "spec", "scaleTargetRef", "name");
      if (manifests.find(string(autoscaler, "spec", "scaleTargetRef", "kind"),
          string(autoscaler, "metadata", "namespace"), target).isEmpty()) {
        problem(describe(autoscaler) + ": scales " + target + ", which is not here");
      }
      for (JsonObject metric : objects(autoscaler, "spec", "metrics")) {
        String name = string(metric, "pods", "metric", "name");
        if (name != null && !adapterRules.isEmpty() && !adapterRules.contains("as: " + name + "\n")) {
          problem(describe(autoscaler) + ": custom metric " + name + " is not one the Prometheus adapter's rules"
              + " make");
        }
      }
    }
  }

  private void serviceMonitors() {
    for (JsonObject monitor : manifests.all()) {
      if (!SERVICE_MONITOR.equals(string(monitor, "apiVersion") + "/" + string(monitor, "kind"))) {
        continue;
      }
      JsonObject selector = object(monitor, "spec", "selector", "matchLabels");
      List<JsonObject> services = manifests.ofKind("Service").stream()
          .filter(s -> Objects.equals(string(s, "metadata", "namespace"), string(monitor, "metadata", "namespace")))
          .filter(s -> Manifests.matches(selector, object(s, "metadata", "labels"))).toList();
      if (services.isEmpty()) {
        problem(describe(monitor) + ": selector " + selector + " matches no Service");
      }
      for (JsonObject endpoint : objects(monitor, "spec", "endpoints")) {
        String port = string(endpoint, "port");
        for (JsonObject service : services) {
          if (objects(service, "spec", "ports").stream().noneMatch(p -> port.equals(string(p, "name")))) {
            problem(describe(monitor) + ": " + describe(service) + " has no port named " + port);
          }
        }
      }
    }
  }

  private void probes(Pod pod) {
    Set<String> healthNames = HEALTH_NAMES.getOrDefault(pod.service(), Set.of());
    for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonObject grpc = object(pod.container(), kind, "grpc");
      if (grpc == null) {
        problem(pod.describe() + ": no gRPC " + kind);
        continue;
      }
      if (!pod.hasPort(grpc.get("port"))) {
        problem(pod.describe() + ": " + kind + " port " + grpc.get("port") + " is no container port");
      }
      String name = grpc.has("service") ? grpc.get("service").getAsString() : "";
      if (!healthNames.contains(name)) {
        problem(pod.describe() + ": " + kind + " asks grpc.health.v1 for \"" + name + "\", which the "
            + pod.service() + " does not report; it reports " + healthNames);
      }
    }
  }

  private void resources(Pod pod) {
    for (String resource : List.of("cpu", "memory")) {
      String request = string(pod.container(), "resources", "requests", resource);
      String limit = string(pod.container(), "resources", "limits", resource);
      if (request == null || limit == null) {
        problem(pod.describe() + ": no " + resource + (request == null ? " request" : " limit"));
      } else if (new Quantity(request).getNumber().compareTo(new Quantity(limit).getNumber()) > 0) {
        problem(pod.describe() + ": " + resource + " request " + request + " above its limit " + limit);
      }
    }
  }

  private void security(Pod pod) {
    JsonElement runAsNonRoot = Stream.of(at(pod.container(), "securityContext", "runAsNonRoot"),
        at(pod.spec(), "securityContext", "runAsNonRoot")).filter(Objects::nonNull).findFirst().orElse(null);
    JsonElement runAsUser = Stream.of(at(pod.container(), "securityContext", "runAsUser"),
        at(pod.spec(), "securityContext", "runAsUser")).filter(Objects::nonNull).findFirst().orElse(null);
    if (!isTrue(runAsNonRoot) || (runAsUser != null && runAsUser.getAsLong() == 0)) {
      problem(pod.describe() + ": may run as root (runAsNonRoot must be true, runAsUser not 0)");
    }
    if (!isTrue(at(pod.container(), "securityContext", "readOnlyRootFilesystem"))) {
      problem(pod.describe() + ": root filesystem not read-only");
    }
    JsonElement escalation = at(pod.container(), "securityContext", "allowPrivilegeEscalation");
    if (escalation == null || escalation.getAsBoolean()) {
      problem(pod.describe() + ": allowPrivilegeEscalation not false");
    }
  }

  private void image(Pod pod) {
    String image = string(pod.container(), "image");
    int colon = image.lastIndexOf(':');
    String name = colon < 0 ? image : image.substring(0, colon);
    String tag = colon < 0 ? null : image.substring(colon + 1);
    if (!imageTag.equals(tag)) {
      problem(pod.describe() + ": image " + image + " is not pinned to tag " + imageTag);
    }
    String expected = "ddpm-suite/" + pod.service() + (gpuServices.contains(pod.service()) ? GPU_IMAGE_SUFFIX : "");
    if (!name.equals(expected)) {
      problem(pod.describe() + ": image " + name + ", expected " + expected);
    }
  }

  private void gpu(Pod pod) {
    boolean wanted = gpuServices.contains(pod.service());
    String limit = string(pod.container(), "resources", "limits", GPU);
    if (wanted != (limit != null && new Quantity(limit).getNumber().signum() > 0)) {
      problem(pod.describe() + (wanted ? ": no " + GPU + " limit" : ": asks for " + GPU + " " + limit
          + ", but only " + gpuServices + " run on GPUs"));
    }
    if (wanted) {
      boolean tolerates = objects(pod.spec(), "tolerations").stream().anyMatch(t -> GPU.equals(string(t, "key")));
      if (!tolerates || object(pod.spec(), "nodeSelector") == null) {
        problem(pod.describe() + ": a GPU pod needs a nodeSelector and a toleration of " + GPU);
      }
      ParseResult serve = pod.serve();
      if (serve != null && !"gpu".equals(serve.matchedOptionValue("--device", ""))) {
        problem(pod.describe() + ": a GPU pod needs --device=gpu, or it serves on the CPU where no GPU is visible");
      }
    }
  }

  /** The container's args as `ddpm serve SERVICE` parses them: a flag it does not know fails here. */
  private ParseResult serve(JsonObject deployment, JsonObject container) {
    List<String> line = new ArrayList<>(List.of("serve", String.valueOf(serviceOf(deployment))));
    JsonElement args = container.get("args");
    if (args != null) {
      args.getAsJsonArray().forEach(a -> line.add(a.getAsString()));
    }
    try {
      return Ddpm.commandLine().parseArgs(line.toArray(String[]::new)).subcommand();
    } catch (CommandLine.ParameterException e) {
      problem(describe(deployment) + " container " + string(container, "name") + ": `ddpm " + String.join(" ", line)
          + "` does not parse: " + e.getMessage());
      return null;
    }
  }

  private void serveFlags(Pod pod) {
    ParseResult serve = pod.serve();
    if (serve == null) {
      return;
    }
    if (!"0.0.0.0".equals(serve.matchedOptionValue("--host", ""))) {
      problem(pod.describe() + ": --host must be 0.0.0.0, for the pod's own address");
    }
    int port = serve.matchedOptionValue("--port", 0);
    if (!Objects.equals(pod.portNamed("grpc"), port)) {
      problem(pod.describe() + ": --port " + port + " is not its container port named grpc");
    }
    if (serve.matchedOption("--tls-cert") == null || serve.matchedOption("--plaintext") != null) {
      problem(pod.describe() + ": serves plaintext; give it --tls-cert, --tls-key and --tls-ca from its Secret at"
          + " /tls");
    }
    // The kubelet's gRPC probes speak neither TLS nor tokens: they dial the plaintext health-only port.
    int healthPort = serve.matchedOptionValue("--health-port", -1);
    if (!Objects.equals(pod.portNamed("health"), healthPort)) {
      problem(pod.describe() + ": --health-port " + healthPort + " is not its container port named health");
    }
    for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonElement probed = at(pod.container(), kind, "grpc", "port");
      if (probed != null && probed.getAsInt() != healthPort) {
        problem(pod.describe() + ": " + kind + " probes port " + probed + ", not the health port " + healthPort
            + " that the kubelet's plaintext probes can reach");
      }
    }
    int metricsPort = serve.matchedOptionValue("--metrics-port", -1);
    String scraped = string(pod.deployment(), "spec", "template", "metadata", "annotations", "prometheus.io/port");
    if (!Objects.equals(pod.portNamed("metrics"), metricsPort) || !String.valueOf(metricsPort).equals(scraped)) {
      problem(pod.describe() + ": --metrics-port " + metricsPort + " is not both its container port named metrics"
          + " and its prometheus.io/port annotation (" + scraped + ")");
    }
    double drain = serve.matchedOptionValue("--drain-timeout", 0.0);
    JsonElement preStop = at(pod.container(), "lifecycle", "preStop", "sleep", "seconds");
    JsonElement grace = at(pod.spec(), "terminationGracePeriodSeconds");
    double needed = drain + (preStop == null ? 0 : preStop.getAsDouble());
    if (grace == null || grace.getAsDouble() <= needed) {
      problem(pod.describe() + ": terminationGracePeriodSeconds " + grace + " must be above the preStop sleep"
          + " plus --drain-timeout (" + needed + " s), or calls in flight are cut off");
    }
  }

  /** A peer named by a cluster DNS name must be a headless Service of this namespace that selects that peer's pods. */
  private void peers(Pod pod) {
    ParseResult serve = pod.serve();
    if (serve == null) {
      return;
    }
    for (String peer : List.of("scheduler", "denoiser")) {
      String target = serve.matchedOptionValue("--" + peer, null);
      if (target == null) {
        continue;
      }
      Matcher dns = CLUSTER_DNS.matcher(target);
      if (!dns.matches()) {
        problem(pod.describe() + ": --" + peer + " " + target
            + " is not dns:///SERVICE.NAMESPACE.svc.cluster.local:PORT");
        continue;
      }
      JsonObject service = manifests.find("Service", dns.group(2), dns.group(1)).orElse(null);
      if (service == null) {
        problem(pod.describe() + ": --" + peer + " names Service " + dns.group(2) + "/" + dns.group(1)
            + ", which is not here");
        continue;
      }
      if (!"None".equals(string(service, "spec", "clusterIP"))) {
        problem(describe(service) + ": not headless (clusterIP: None), so --" + peer + " " + target
            + " would resolve to one virtual IP, one connection to one pod");
      }
      int port = Integer.parseInt(dns.group(3));
      if (objects(service, "spec", "ports").stream().noneMatch(p -> p.get("port").getAsInt() == port)) {
        problem(pod.describe() + ": --" + peer + " dials port " + port + ", which " + describe(service) + " lacks");
      }
      boolean selectsPeer = manifests.deploymentsSelectedBy(dns.group(2), object(service, "spec", "selector"))
          .stream().anyMatch(d -> peer.equals(serviceOf(d)));
      if (!selectsPeer) {
        problem(pod.describe() + ": --" + peer + " names " + describe(service) + ", which selects no " + peer
            + " pods");
      }
    }
  }

  /**
   * Every path a flag names lies on a mounted volume, a writable one where the service writes; the model
   * repository (--models) is on a ReadWriteMany claim, and only the trainer mounts such a shared claim writable.
   */
  private void volumes(Pod pod) {
    ParseResult serve = pod.serve();
    if (serve == null) {
      return;
    }
    boolean writer = "trainer".equals(pod.service());
    for (Map.Entry<String, Boolean> flag : PATH_FLAGS.entrySet()) {
      Path path = serve.matchedOptionValue(flag.getKey(), null);
      if (path == null) {
        continue;
      }
      JsonObject mount = objects(pod.container(), "volumeMounts").stream()
          .filter(m -> path.startsWith(Path.of(string(m, "mountPath")))).findFirst().orElse(null);
      if (mount == null) {
        problem(pod.describe() + ": " + flag.getKey() + " " + path + " is on no volume: the root filesystem is"
            + " read-only and the image's own");
        continue;
      }
      boolean writes = flag.getValue() || (writer && flag.getKey().equals("--models"));
      if (writes && isTrue(at(mount, "readOnly"))) {
        problem(pod.describe() + ": " + flag.getKey() + " " + path + " is on a read-only mount");
      }
      if (flag.getKey().equals("--models") && sharedClaim(pod, volumeOf(pod, mount)) == null) {
        problem(pod.describe() + ": --models " + path + " is not on a ReadWriteMany PersistentVolumeClaim, which"
            + " the trainer and every denoiser share");
      }
    }
    List<JsonObject> mounts = objects(pod.container(), "volumeMounts");
    if (mounts.stream().noneMatch(m -> "/tmp".equals(string(m, "mountPath")) && !isTrue(at(m, "readOnly")))) {
      problem(pod.describe() + ": no writable volume at /tmp, where the JVM (and TensorFlow's natives) write");
    }
    for (JsonObject mount : mounts) {
      JsonObject volume = volumeOf(pod, mount);
      if (volume.size() == 0) {
        problem(pod.describe() + ": mounts volume " + string(mount, "name") + ", which the pod does not have");
      }
      String claim = sharedClaim(pod, volume);
      boolean readOnly = isTrue(at(mount, "readOnly")) && isTrue(at(volume, "persistentVolumeClaim", "readOnly"));
      if (claim != null && !writer && !readOnly) {
        problem(pod.describe() + ": mounts the shared claim " + claim + " writable; only the trainer writes it");
      }
    }
  }

  private static JsonObject volumeOf(Pod pod, JsonObject mount) {
    return objects(pod.spec(), "volumes").stream().filter(v -> string(mount, "name").equals(string(v, "name")))
        .findFirst().orElse(new JsonObject());
  }

  /** The name of the ReadWriteMany claim {@code volume} mounts; null for any other volume. */
  private String sharedClaim(Pod pod, JsonObject volume) {
    String claim = string(volume, "persistentVolumeClaim", "claimName");
    if (claim == null) {
      return null;
    }
    JsonElement modes = manifests.find("PersistentVolumeClaim", pod.namespace(), claim)
        .map(pvc -> at(pvc, "spec", "accessModes")).orElse(null);
    return modes != null && modes.toString().contains("\"ReadWriteMany\"") ? claim : null;
  }

  private static boolean isTrue(JsonElement flag) {
    return flag != null && flag.getAsBoolean();
  }
}
