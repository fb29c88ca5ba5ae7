package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServeCommandTest {
  @Test
  void memorySizesAreBytesOrBinaryMultiples() {
    assertEquals(1_073_741_824L, ServeCommand.bytes("1073741824", "--memory-budget"));
    assertEquals(6L << 30, ServeCommand.bytes("6G", "--memory-budget"));
    assertEquals(512L << 20, ServeCommand.bytes("512m", "--memory-budget"));
    assertEquals(3L << 29, ServeCommand.bytes("1.5G", "--memory-budget"));
    assertEquals(2L << 40, ServeCommand.bytes("2T", "--memory-budget"));
  }

  @Test
  void aSizeInAnotherFormIsRefusedNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.bytes("6 gigabytes", "--memory-budget"));
    assertEquals("--memory-budget must be a size such as 6G, 512M or 1073741824, got 6 gigabytes", e.getMessage());
  }
}
