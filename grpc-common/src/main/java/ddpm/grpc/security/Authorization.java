package ddpm.grpc.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Lets a call through only if its caller has the role {@link MethodRoles} names for the method. The caller
 * is known by its bearer token ({@code authorization: Bearer TOKEN}) and, over mutual TLS, by its verified
 * client certificate; {@link CallerRoles} says which roles each has. No credential, or a token nobody
 * listed, is UNAUTHENTICATED; a known caller without the role is PERMISSION_DENIED, naming the role needed.
 * Neither message repeats the token. Refusals are not logged: anyone who reaches the port could fill a log.
 */
public final class Authorization implements ServerInterceptor {
  private static final int SUBJECT_ALT_NAME_URI = 6;
  private static final int SUBJECT_ALT_NAME_DNS = 2;
  private static final int SUBJECT_ALT_NAME_IP = 7;

  private final String server;
  private final CallerRoles roles;

  /**
   * {@code server} names this server in refusals: a sampler passes its peers' refusals on, and its user must
   * see that the denoiser refused the sampler's token, not the sampler theirs.
   */
  public Authorization(String server, CallerRoles roles) {
    this.server = server;
    this.roles = roles;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (MethodRoles.isOpen(method)) {
      return next.startCall(call, headers);
    }
    Optional<Status> refusal = refusal(method, headers.get(BearerToken.AUTHORIZATION),
        certificateNames(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
    if (refusal.isPresent()) {
      call.close(refusal.get(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  private Optional<Status> refusal(String method, String authorization, List<String> certificateNames) {
    Optional<Role> needed = MethodRoles.needed(method);
    if (needed.isEmpty()) {
      return Optional.of(Status.PERMISSION_DENIED.withDescription(method + ": no role may call it"));
    }
    if (authorization == null && certificateNames.isEmpty()) {
      return Optional.of(Status.UNAUTHENTICATED.withDescription(
          "no credential: the " + server + " needs the header `authorization: Bearer TOKEN` (or a client certificate)"));
    }
    Set<Role> held = EnumSet.noneOf(Role.class);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, BearerToken.SCHEME, 0, BearerToken.SCHEME.length())) {
        return Optional.of(Status.UNAUTHENTICATED.withDescription("authorization: must be `Bearer TOKEN`"));
      }
      Set<Role> ofToken = roles.ofToken(authorization.substring(BearerToken.SCHEME.length()).strip());
      if (ofToken.isEmpty()) {
        return Optional.of(Status.UNAUTHENTICATED.withDescription(
            "authorization: the bearer token is not known to the " + server));
      }
      held.addAll(ofToken);
    }
    held.addAll(roles.ofCertificate(certificateNames));
    if (held.stream().noneMatch(role -> role.covers(needed.get()))) {
      return Optional.of(Status.PERMISSION_DENIED.withDescription(
          method + " needs the " + needed.get().label() + " role"));
    }
    return Optional.empty();
  }

  /**
   * The subject CN and the DNS, IP and URI subject alternative names of the client's certificate, which the
   * TLS handshake has verified against the CA; none without mutual TLS.
   */
  static List<String> certificateNames(SSLSession session) {
    if (session == null) {
      return List.of();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // A subject Java itself wrote cannot be malformed; its alternative names still count.
    }
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          int type = (Integer) alternative.get(0);
          if (type == SUBJECT_ALT_NAME_DNS || type == SUBJECT_ALT_NAME_IP || type == SUBJECT_ALT_NAME_URI) {
            names.add(alternative.get(1).toString());
          }
        }
      }
    } catch (CertificateParsingException e) {
      // Verified by the handshake, so parseable; without alternative names the CN still counts.
    }
    return names;
  }
}
