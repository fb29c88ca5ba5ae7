package ddpm.grpc.naming;

import io.grpc.NameResolverRegistry;

/**
 * Where a service finds a peer, as written in its config or on the command line:
 *
 * <ul>
 *   <li>{@code HOST:PORT}: one address, or every A/AAAA record of HOST (gRPC's default dns resolver);
 *   <li>{@code HOST1:P1,HOST2:P2,...}: a fixed list of replicas (also accepted as {@code static:///...});
 *   <li>any other gRPC name, such as {@code dns:///svc.ns.svc.cluster.local:50051} for a Kubernetes
 *       headless Service, whose A records are its ready pods.
 * </ul>
 *
 * @param channelTarget what the channel builder is given
 * @param registry the resolvers that channel may use: the process-wide default for gRPC names, a registry
 *     holding only the static resolver for a list
 */
public record PeerTarget(String channelTarget, NameResolverRegistry registry) {
  private static final String STATIC_PREFIX = StaticNameResolverProvider.SCHEME + ":";

  public static PeerTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a target must be given: HOST:PORT, HOST:PORT,HOST:PORT or dns:///NAME:PORT");
    }
    String target = text.strip();
    if (target.startsWith(STATIC_PREFIX)) {
      String list = target.substring(STATIC_PREFIX.length());
      return forReplicas(list.startsWith("///") ? list.substring(3) : list);
    }
    if (target.contains(",")) {
      return forReplicas(target);
    }
    return new PeerTarget(target, NameResolverRegistry.getDefaultRegistry());
  }

  private static PeerTarget forReplicas(String list) {
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(new StaticNameResolverProvider());
    return new PeerTarget(StaticNameResolverProvider.targetFor(StaticNameResolverProvider.parseList(list)), registry);
  }
}
