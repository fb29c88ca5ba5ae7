package ddpm.deploy;

import static ddpm.deploy.Manifests.object;
import static ddpm.deploy.Manifests.objects;
import static ddpm.deploy.Manifests.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import ddpm.testing.Slow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay under deploy/overlays, rendered by `kubectl kustomize` with deploy/monitoring beside it, is valid
 * Kubernetes (client-java's models of each kind) and keeps the suite's rules ({@link ManifestRules}). Slow: the
 * first run fetches kubectl when none is on PATH (scripts/kubectl.sh).
 */
@Slow
class ManifestsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String VERSION = System.getProperty("ddpm.version");
  /** Each overlay, and the services it runs on GPUs. */
  private static final Map<String, Set<String>> OVERLAYS = Map.of("cpu", Set.of(), "gpu", Set.of("denoiser"));

  private static Kubectl kubectl;
  private static Manifests cpu;

  @BeforeAll
  static void render() throws Exception {
    kubectl = Kubectl.find(ROOT);
    cpu = overlay("cpu");
  }

  private static Manifests overlay(String name) throws Exception {
    return Manifests.render(kubectl, ROOT, "deploy/overlays/" + name, "deploy/monitoring");
  }

  @Test
  void everyOverlayIsTested() {
    assertEquals(new TreeSet<>(OVERLAYS.keySet()),
        new TreeSet<>(List.of(ROOT.resolve("deploy/overlays").toFile().list())));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlayKeepsEveryRule(String overlay) throws Exception {
    assertEquals(List.of(), ManifestRules.check(overlay(overlay), VERSION, OVERLAYS.get(overlay)));
  }

  static Stream<String> overlays() {
    return OVERLAYS.keySet().stream().sorted();
  }

  @Test
  void cpuOverlayRunsEveryServiceWithItsServiceBudgetAndPolicies() {
    Set<String> services = Set.of("scheduler", "denoiser", "sampler", "trainer");
    assertEquals(services, names(cpu, "Deployment"));
    assertEquals(services, names(cpu, "Service"));
    assertEquals(services, names(cpu, "PodDisruptionBudget"));
    assertEquals(Set.of("denoiser", "sampler"), names(cpu, "HorizontalPodAutoscaler"));
    assertTrue(names(cpu, "NetworkPolicy").contains("default-deny-ingress"));
    assertEquals(Set.of("model-repository", "datasets", "trainer-work"), names(cpu, "PersistentVolumeClaim"));
  }

  private static Set<String> names(Manifests manifests, String kind) {
    return manifests.ofKind(kind).stream().map(o -> string(o, "metadata", "name")).collect(Collectors.toSet());
  }

  /** Each rule catches what it is there for: the cpu overlay, broken in one place, fails with that problem. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void aBrokenManifestIsCaught(String what, UnaryOperator<JsonObject> breakage, String expected) {
    List<String> problems = ManifestRules.check(cpu.with(breakage), VERSION, Set.of());
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), what + ": " + problems);
  }

  static Stream<Arguments> breakages() {
    return Stream.of(
        Arguments.of("a flag ddpm serve does not know", onContainer("denoiser",
            c -> replaceArg(c, "--models=/models", "--model-dir=/models")), "does not parse"),
        Arguments.of("a misspelled field", on("Deployment", "sampler",
            d -> { object(d, "spec").addProperty("replica", 2); return d; }), "not a valid apps/v1/Deployment"),
        Arguments.of("the denoiser's Service with a virtual IP", on("Service", "denoiser",
            s -> { object(s, "spec").remove("clusterIP"); return s; }), "not headless"),
        Arguments.of("an image on :latest", onContainer("scheduler",
            c -> { c.addProperty("image", "ddpm-suite/scheduler:latest"); return c; }), "not pinned"),
        Arguments.of("a GPU for the sampler", onContainer("sampler",
            c -> { object(c, "resources", "limits").addProperty(ManifestRules.GPU, "1"); return c; }),
            "asks for nvidia.com/gpu"),
        Arguments.of("a probe asking for a service the server does not report", onContainer("denoiser",
            c -> { object(c, "readinessProbe", "grpc").addProperty("service", "ddpm.v1.Denoiser"); return c; }),
            "does not report"),
        Arguments.of("a Service port on no container", on("Service", "trainer",
            s -> { objects(s, "spec", "ports").get(0).addProperty("targetPort", "gprc"); return s; }),
            "is no container port"),
        Arguments.of("a denoiser that may write the repository", onContainer("denoiser",
            c -> { objects(c, "volumeMounts").forEach(m -> m.remove("readOnly")); return c; }),
            "only the trainer writes it"),
        Arguments.of("a grace period shorter than the drain", on("Deployment", "sampler",
            d -> { object(d, "spec", "template", "spec").addProperty("terminationGracePeriodSeconds", 60); return d; }),
            "terminationGracePeriodSeconds"),
        Arguments.of("a sampler dialling the denoisers under another name", onContainer("sampler",
            c -> replaceArg(c, "--denoiser=dns:///denoiser.ddpm.svc.cluster.local:50052",
                "--denoiser=dns:///denoisers.ddpm.svc.cluster.local:50052")), "which is not here"),
        Arguments.of("a mount of a volume the pod lacks", on("Deployment", "scheduler",
            d -> { objects(d, "spec", "template", "spec", "volumes").forEach(v -> v.addProperty("name", "scratch"));
              return d; }), "which the pod does not have"),
        Arguments.of("a container without limits", onContainer("scheduler",
            c -> { object(c, "resources").remove("limits"); return c; }), "no cpu limit"),
        Arguments.of("a server in plaintext", onContainer("scheduler",
            c -> replaceArg(c, "--tls-cert=/tls/tls.crt", "--plaintext")), "serves plaintext"),
        Arguments.of("a probe on the service's TLS port", onContainer("denoiser",
            c -> { object(c, "livenessProbe", "grpc").addProperty("port", 50052); return c; }),
            "not the health port"),
        Arguments.of("a container that may run as root", on("Deployment", "trainer",
            d -> {
              object(d, "spec", "template", "spec", "securityContext").addProperty("runAsNonRoot", false);
              return d;
            }),
            "may run as root"));
  }

  private static UnaryOperator<JsonObject> on(String kind, String name, UnaryOperator<JsonObject> change) {
    return o -> kind.equals(string(o, "kind")) && name.equals(string(o, "metadata", "name")) ? change.apply(o) : o;
  }

  private static UnaryOperator<JsonObject> onContainer(String deployment, UnaryOperator<JsonObject> change) {
    return on("Deployment", deployment, d -> {
      objects(d, "spec", "template", "spec", "containers").forEach(change::apply);
      return d;
    });
  }

  private static JsonObject replaceArg(JsonObject container, String from, String to) {
    JsonArray args = container.getAsJsonArray("args");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).getAsString().equals(from)) {
        args.set(i, new JsonPrimitive(to));
        return container;
      }
    }
    throw new IllegalArgumentException("no arg " + from + " in " + args);
  }
}
