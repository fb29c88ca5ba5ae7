package ddpm.datasets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's description of the request's {@code dataset} field lists what the registry accepts. */
class DocumentedChoicesTest {
  private static final Path TRAINER_PROTO = Path.of("../proto/src/main/proto/ddpm/v1/trainer.proto");

  @Test
  void theTrainerProtoNamesEveryDataSetAndItsFetchScript() throws IOException {
    String comment = commentAbove("string dataset = ");
    for (String choice : Datasets.choices()) {
      assertTrue(comment.contains("\"" + choice + "\""), choice + " is not in the comment: " + comment);
    }
    for (KnownDataset set : KnownDataset.values()) {
      set.fetchScript().ifPresent(script ->
          assertTrue(comment.contains(script), script + " is not in the comment: " + comment));
    }
  }

  /** The // lines right above the line that starts with {@code field}, joined by spaces. */
  private static String commentAbove(String field) throws IOException {
    List<String> lines = Files.readAllLines(TRAINER_PROTO).stream().map(String::strip).toList();
    int at = 0;
    while (!lines.get(at).startsWith(field)) {
      at++;
    }
    StringBuilder comment = new StringBuilder();
    for (int i = at - 1; i >= 0 && lines.get(i).startsWith("//"); i--) {
      comment.insert(0, lines.get(i).substring(2) + " ");
    }
    return comment.toString();
  }
}
