package ddpm.grpc.naming;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The "static" scheme: {@code static:///host1:p1,host2:p2} names a fixed list of replicas. gRPC has no
 * resolver for a list of addresses, and a per-channel registry (see {@link PeerTarget}) keeps this one out
 * of the process-wide registry that other libraries share.
 */
public final class StaticNameResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "static";

  /** The channel target naming {@code replicas}; characters a URI path cannot hold (IPv6 brackets) are quoted. */
  public static String targetFor(List<HostPort> replicas) {
    List<String> entries = replicas.stream().map(HostPort::toString).toList();
    try {
      return new URI(SCHEME, "", "/" + String.join(",", entries), null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("replicas " + entries + " do not make a target", e);
    }
  }

  /** The replicas of a target written as HOST:PORT,HOST:PORT,... (a list of one is fine). */
  public static List<HostPort> parseList(String list) {
    List<HostPort> replicas = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      replicas.add(HostPort.parse(entry));
    }
    return replicas;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String path = targetUri.getPath();
    if (path == null || !path.startsWith("/") || path.length() == 1) {
      throw new IllegalArgumentException(targetUri + ": expected " + SCHEME + ":///HOST:PORT,HOST:PORT,...");
    }
    return new StaticNameResolver(parseList(path.substring(1)), args);
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }
}
