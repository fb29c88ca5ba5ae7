package ddpm.cli;

import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What README's "Errors" promises of every answer a client can get, whatever it sent: one of the statuses a refusal
 * may have, a description no longer than {@value #MAX_DESCRIPTION_CHARS} characters, and in it no server path and no
 * Java class name (outside the values it quotes back, which the caller wrote).
 */
final class ErrorContract {
  static final int MAX_DESCRIPTION_CHARS = 500;
  static final Set<Status.Code> REFUSALS = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
      Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAUTHENTICATED,
      Status.Code.PERMISSION_DENIED, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
  /**
   * A Java class or object as Java prints it (java.lang.ArithmeticException, io.grpc.Context$1@1b2c3d), but not a
   * protobuf message's name (ddpm.v1.PredictNoiseRequest), which a refusal of undecodable bytes names.
   */
  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(?:java|javax|jdk|sun|io|com|org|ai)\\.[a-z]\\w*\\.\\w|\\bddpm\\.(?!v1\\.)[a-z]\\w*\\.\\w"
          + "|\\w(?:Exception|Error)\\b|@[0-9a-f]{5,}");
  /** A value the message repeats in quotes (as diffusion-core's Echo writes it): the caller's, not the server's. */
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  private ErrorContract() {}

  /** How {@code status} breaks the contract, if it does; {@code serverFolder} is what no description may name. */
  static List<String> breaches(Status status, Path serverFolder) {
    List<String> breaches = new ArrayList<>();
    if (!REFUSALS.contains(status.getCode())) {
      breaches.add("status " + status.getCode());
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    if (description.length() > MAX_DESCRIPTION_CHARS) {
      breaches.add(description.length() + " characters");
    }
    if (description.contains(serverFolder.toString())) {
      breaches.add("a server path");
    }
    if (CLASS_NAME.matcher(QUOTED.matcher(description).replaceAll("\"…\"")).find()) {
      breaches.add("a class name");
    }
    return breaches;
  }
}
