package ddpm.grpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallerRolesTest {
  private static final String SAMPLER = "sampler-token-5f1e2d3c4b5a";
  private static final String OPERATOR = "operator-token-9a8b7c6d5e4f";

  @TempDir Path dir;

  @Test
  void eachTokenAndCertificateNameHasTheRolesItsLineGives() {
    CallerRoles roles = CallerRoles.fromText("""
        # credential   roles
        %s   sample

        %s   sample,admin
        cert:sampler.ddpm.svc sample
        """.formatted(SAMPLER, OPERATOR), "test");
    assertEquals(Set.of(Role.SAMPLE), roles.ofToken(SAMPLER));
    assertEquals(Set.of(Role.SAMPLE, Role.ADMIN), roles.ofToken(OPERATOR));
    assertEquals(Set.of(Role.SAMPLE), roles.ofCertificate(List.of("other", "sampler.ddpm.svc")));
    assertEquals(Set.of(), roles.ofCertificate(List.of("sampler")));
  }

  /** One environment variable holds every entry, separated by ';'. */
  @Test
  void entriesMaySeparateBySemicolons() {
    CallerRoles roles = CallerRoles.fromText(SAMPLER + " sample;" + OPERATOR + " admin", "DDPM_ROLES");
    assertEquals(Set.of(Role.SAMPLE), roles.ofToken(SAMPLER));
    assertEquals(Set.of(Role.ADMIN), roles.ofToken(OPERATOR));
  }

  @Test
  void aTokenNobodyListedHasNoRoleNorDoesAPartOrAnExtensionOfOne() {
    CallerRoles roles = CallerRoles.fromText(OPERATOR + " admin", "test");
    assertEquals(Set.of(), roles.ofToken("someone-else-entirely-0000"));
    assertEquals(Set.of(), roles.ofToken(OPERATOR.substring(0, OPERATOR.length() - 1)));
    assertEquals(Set.of(), roles.ofToken(OPERATOR + "0"));
    assertEquals(Set.of(), roles.ofToken(""));
  }

  /** A wrong line is named by its number; no part of it is repeated, since it may hold a token. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "only-one-field-0123456789 | test entry 2: must be `TOKEN ROLE[,ROLE]` or `cert:NAME ROLE[,ROLE]` (roles: sample, admin)",
      "secret-but-short sample extra | test entry 2: must be `TOKEN ROLE[,ROLE]` or `cert:NAME ROLE[,ROLE]` (roles: sample, admin)",
      "admin secret-in-the-role-column | test entry 2: unknown role (roles: sample, admin)",
      "secret-value-01234567 , | test entry 2: names no role (roles: sample, admin)",
      "short sample | test entry 2: a token must be at least 16 characters (e.g. `openssl rand -hex 32`)",
      "cert: sample | test entry 2: cert: needs the certificate's name, e.g. cert:sampler",
      "sampler-token-5f1e2d3c4b5a admin | test entry 2: the same credential as entry 1"})
  void aWrongEntryIsNamedWithoutRepeatingIt(String line, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CallerRoles.fromText(SAMPLER + " sample\n" + line, "test"));
    assertEquals(message, e.getMessage());
    for (String field : line.split("\\s+")) {
      // Every would-be secret here has a dash; no role or keyword does.
      assertFalse(field.contains("-") && e.getMessage().contains(field), field);
    }
  }

  @Test
  void aRolesFileIsReadAgainWhenItChangesAndABrokenChangeKeepsTheRolesBefore() throws Exception {
    Path file = Files.writeString(dir.resolve("roles"), SAMPLER + " sample\n");
    try (CallerRoles roles = CallerRoles.fromFile(file)) {
      assertFalse(roles.refresh(), "nothing changed");
      Files.writeString(file, SAMPLER + " admin\n");
      assertTrue(roles.refresh());
      assertEquals(Set.of(Role.ADMIN), roles.ofToken(SAMPLER));

      Files.writeString(file, SAMPLER + " root\n");
      assertFalse(roles.refresh());
      assertEquals(Set.of(Role.ADMIN), roles.ofToken(SAMPLER));

      Files.writeString(file, OPERATOR + " admin\n");
      assertTrue(roles.refresh());
      assertEquals(Set.of(), roles.ofToken(SAMPLER));
      assertEquals(Set.of(Role.ADMIN), roles.ofToken(OPERATOR));
    }
  }

  @Test
  void aMissingRolesFileIsNamed() {
    Path missing = dir.resolve("missing");
    Exception e = assertThrows(Exception.class, () -> CallerRoles.fromFile(missing));
    assertEquals("roles file " + missing + ": cannot read " + missing, e.getMessage());
  }

  @Test
  void rolesCoverThemselvesAndAdminCoversEverything() {
    assertTrue(Role.SAMPLE.covers(Role.SAMPLE));
    assertFalse(Role.SAMPLE.covers(Role.ADMIN));
    assertTrue(Role.ADMIN.covers(Role.SAMPLE));
    assertTrue(Role.ADMIN.covers(Role.ADMIN));
  }
}
