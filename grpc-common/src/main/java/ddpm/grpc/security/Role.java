package ddpm.grpc.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a caller may do. {@link MethodRoles} says which role each RPC needs. */
public enum Role {
  /** Sample images and read what is served: models, their versions, schedules. */
  SAMPLE,
  /** Everything: besides sampling, change what is served (load, unload, train, cancel). */
  ADMIN;

  /** The name in a roles file and in messages: {@code sample}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a caller with this role may call an RPC that needs {@code needed}. */
  public boolean covers(Role needed) {
    return this == ADMIN || this == needed;
  }

  /** The role labelled {@code label}; IllegalArgumentException naming the roles there are, never the input. */
  public static Role parse(String label) {
    for (Role role : values()) {
      if (role.label().equals(label)) {
        return role;
      }
    }
    // The text may be a token written in the wrong column: it is not repeated.
    throw new IllegalArgumentException("unknown role (roles: "
        + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", ")) + ")");
  }
}
