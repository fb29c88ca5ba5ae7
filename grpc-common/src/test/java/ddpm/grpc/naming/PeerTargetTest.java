package ddpm.grpc.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.NameResolverRegistry;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTargetTest {
  @Test
  void aSingleAddressOrAGrpcNameGoesToTheDefaultResolvers() {
    for (String target : List.of("127.0.0.1:50051", "denoiser:50051", "dns:///denoiser.ddpm.svc.cluster.local:50051")) {
      PeerTarget peer = PeerTarget.parse(target);
      assertEquals(target, peer.channelTarget());
      assertSame(NameResolverRegistry.getDefaultRegistry(), peer.registry());
    }
  }

  @Test
  void aCommaListBecomesAStaticTargetWithItsOwnRegistry() {
    PeerTarget peer = PeerTarget.parse(" 10.0.0.1:50051, denoiser-1:50052 ");
    assertEquals("static:///10.0.0.1:50051,denoiser-1:50052", peer.channelTarget());
    assertEquals(StaticNameResolverProvider.class, peer.registry().getProviderForScheme("static").getClass());
    assertEquals(null, NameResolverRegistry.getDefaultRegistry().getProviderForScheme("static"));
    assertEquals(peer.channelTarget(), PeerTarget.parse(peer.channelTarget()).channelTarget());
  }

  @Test
  void anIpv6ReplicaSurvivesTheTargetUri() {
    String target = PeerTarget.parse("[::1]:50051,127.0.0.1:50052").channelTarget();
    String path = URI.create(target).getPath();
    assertEquals(List.of(new HostPort("::1", 50051), new HostPort("127.0.0.1", 50052)),
        StaticNameResolverProvider.parseList(path.substring(1)));
  }

  @Test
  void badEntriesNameThemselves() {
    for (String bad : List.of("a:1,", "a:1,b", "a:1,b:x", "a:1,::1:5", "a:1,b:70000", " ")) {
      assertThrows(IllegalArgumentException.class, () -> PeerTarget.parse(bad), bad);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerTarget.parse("a:1,b:x"));
    assertEquals("\"b:x\" does not end with a port number", e.getMessage());
  }
}
