package ddpm.grpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FileDescriptor;
import ddpm.api.v1.Denoiser;
import ddpm.api.v1.Sampler;
import ddpm.api.v1.Scheduler;
import ddpm.api.v1.TensorOuterClass;
import ddpm.api.v1.Trainer;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MethodRolesTest {
  /** Every ddpm.v1 file: a new RPC in any of them, or a new service, must get a role before it can be called. */
  private static final Stream<FileDescriptor> DDPM_V1 = Stream.of(Denoiser.getDescriptor(), Sampler.getDescriptor(),
      Scheduler.getDescriptor(), Trainer.getDescriptor(), TensorOuterClass.getDescriptor());

  @Test
  void everyMethodOfEveryDdpmServiceHasARoleAndNothingElseHasOne() {
    Set<String> methods = DDPM_V1
        .flatMap(file -> file.getServices().stream())
        .flatMap(service -> service.getMethods().stream())
        .map(method -> method.getService().getFullName() + "/" + method.getName())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(15, methods.size(), methods::toString);
    assertEquals(methods, new TreeSet<>(MethodRoles.table().keySet()));
  }

  @Test
  void healthAndReflectionAreOpenAndNothingOfTheSuiteIs() {
    assertTrue(MethodRoles.isOpen("grpc.health.v1.Health/Check"));
    assertTrue(MethodRoles.isOpen("grpc.health.v1.Health/Watch"));
    assertTrue(MethodRoles.isOpen("grpc.reflection.v1.ServerReflection/ServerReflectionInfo"));
    assertTrue(MethodRoles.isOpen("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));
    MethodRoles.table().keySet().forEach(method -> assertFalse(MethodRoles.isOpen(method), method));
  }

  @Test
  void aMethodWithoutAnEntryNeedsARoleNobodyHas() {
    assertEquals(Optional.empty(), MethodRoles.needed("ddpm.v1.SamplerService/Unlisted"));
    assertFalse(MethodRoles.isOpen("ddpm.v1.SamplerService/Unlisted"));
  }
}
