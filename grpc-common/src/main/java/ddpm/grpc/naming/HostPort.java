package ddpm.grpc.naming;

import java.net.InetSocketAddress;

/** One HOST:PORT entry of a static replica list; an IPv6 host is written in brackets, [::1]:50051. */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a replica address needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], got " + port + " for " + host);
    }
  }

  /** Parses HOST:PORT or [IPV6]:PORT; the port is required, since a replica list has no default port. */
  public static HostPort parse(String text) {
    String entry = text.strip();
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException("\"" + entry + "\" is not HOST:PORT");
    }
    String host = entry.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("\"" + entry + "\": write an IPv6 host in brackets, [" + host + "]:PORT");
    }
    try {
      return new HostPort(host, Integer.parseInt(entry.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + entry + "\" does not end with a port number", e);
    }
  }

  /** Resolves the host now (a blocking DNS lookup for a name, none for an IP literal). */
  public InetSocketAddress resolve() {
    return new InetSocketAddress(host, port);
  }

  /** As an authority or a list entry: host:port, with an IPv6 host in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
