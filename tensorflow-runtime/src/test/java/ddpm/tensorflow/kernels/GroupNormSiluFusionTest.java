package ddpm.tensorflow.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** The rewrite on the shipped mnist:4, whose U-Net has 27 GroupNorms: 23 before a SiLU, 4 before attention. */
class GroupNormSiluFusionTest {
  private static final Path MNIST = Path.of("..", "models", "mnist", "4");

  @Test
  void everyGroupNormBeforeASiluIsFusedAndTheAttentionsGroupNormsAreNot(@TempDir Path dir) throws IOException {
    assertEquals(23, GroupNormSiluFusion.writeFused(MNIST, dir));
    GraphDef graph = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")))
        .getMetaGraphs(0).getGraphDef();
    Map<String, NodeDef> fused = graph.getNodeList().stream()
        .filter(node -> node.getOp().equals(GroupNormSiluFusion.OP))
        .collect(Collectors.toMap(NodeDef::getName, node -> node));
    assertEquals(23, fused.size());
    NodeDef first = fused.get("eps_net/down0/block0/Mul");
    assertEquals("eps_net/input/BiasAdd", first.getInput(0), "x: the input convolution's output");
    assertEquals(8, first.getAttrOrThrow("groups").getI(), "gcd(32 channels, 8)");
    assertEquals(1e-5f, first.getAttrOrThrow("epsilon").getF());
    assertTrue(graph.getNodeList().stream().filter(node -> node.getName().contains("/attention/"))
        .noneMatch(node -> node.getOp().equals(GroupNormSiluFusion.OP)));
    // Everything but the graph is the version's own: the variables are linked, not copied.
    assertTrue(Files.isSymbolicLink(dir.resolve("variables")));
    assertEquals(MNIST.resolve("variables").toAbsolutePath(), Files.readSymbolicLink(dir.resolve("variables")));
  }

  @Test
  void aGraphWithoutTheFormIsLeftAsItIs() throws IOException {
    GraphDef graph = SavedModel.parseFrom(Files.readAllBytes(MNIST.resolve("saved_model.pb")))
        .getMetaGraphs(0).getGraphDef();
    GraphDef fused = GroupNormSiluFusion.fuse(graph);
    assertEquals(graph.getNodeCount(), fused.getNodeCount());
    assertEquals(fused, GroupNormSiluFusion.fuse(fused), "a fused graph has nothing left to fuse");
  }

  @Test
  void theGroupCountIsReadFromTheGroupAverageMatrixAndAnotherMatrixIsRefused() {
    assertEquals(Optional.of(2), GroupNormSiluFusion.groupsOf(matrix(4, (i, j) -> i / 2 == j / 2 ? 0.5f : 0f)));
    assertEquals(Optional.of(4), GroupNormSiluFusion.groupsOf(matrix(4, (i, j) -> i == j ? 1f : 0f)));
    assertEquals(Optional.empty(), GroupNormSiluFusion.groupsOf(matrix(4, (i, j) -> 0.25f + i)),
        "runs that sum past 1: not an average");
    assertEquals(Optional.empty(), GroupNormSiluFusion.groupsOf(matrix(4, (i, j) -> i / 3 == j / 3 ? 1f : 0f)),
        "runs of 3 do not divide 4 channels");
  }

  private interface Entry {
    float at(int i, int j);
  }

  private static TensorProto matrix(int channels, Entry entry) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * channels * channels).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < channels; i++) {
      for (int j = 0; j < channels; j++) {
        bytes.putFloat(entry.at(i, j));
      }
    }
    TensorShapeProto.Dim dim = TensorShapeProto.Dim.newBuilder().setSize(channels).build();
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(dim).addDim(dim))
        .setTensorContent(ByteString.copyFrom(bytes.array())).build();
  }
}
