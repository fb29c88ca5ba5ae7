package ddpm.tensorflow.kernels;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/**
 * Rewrites a SavedModel's graph so that each GroupNorm followed by SiLU runs as one {@value #OP} node: the graph
 * tensorflow-layers' {@code GroupNorm} and {@code Activations.silu} build, which is
 * <pre>
 *   mean   = Reshape(MatMul(Reshape(Sum(x)), Div(M, pixels)))          M: the [C, C] group-average matrix
 *   square = Reshape(MatMul(Reshape(Sum(Square(x))), Div(M, pixels)))
 *   scale  = Mul(gamma, Rsqrt(Add(Maximum(Sub(square, Square(mean)), 0), epsilon)))
 *   a      = Add(Mul(x, scale), Sub(beta, Mul(mean, scale)))
 *   y      = Mul(a, Sigmoid(a))
 * </pre>
 * The fused node takes y's name, so every consumer reads it unchanged, and x, gamma and beta as inputs, with the
 * group count read from M and ε from its constant; the nodes it replaces are left for TensorFlow to prune. A
 * GroupNorm in any other form is left as it is.
 */
public final class GroupNormSiluFusion {
  /** The fused op, registered by {@link FusedKernels}. */
  public static final String OP = "DdpmGroupNormSilu";
  private static final String SAVED_MODEL = "saved_model.pb";

  private final Map<String, NodeDef> nodes = new HashMap<>();

  private GroupNormSiluFusion(GraphDef graph) {
    graph.getNodeList().forEach(node -> nodes.put(node.getName(), node));
  }

  /** {@code graph} with every GroupNorm→SiLU it holds fused; the same graph when it holds none. */
  public static GraphDef fuse(GraphDef graph) {
    GroupNormSiluFusion fusion = new GroupNormSiluFusion(graph);
    GraphDef.Builder fused = graph.toBuilder();
    for (int i = 0; i < fused.getNodeCount(); i++) {
      Optional<NodeDef> node = fusion.fused(fused.getNode(i));
      if (node.isPresent()) {
        fused.setNode(i, node.get());
      }
    }
    return fused.build();
  }

  /** How many {@value #OP} nodes {@code graph} holds. */
  public static long fusedNodes(GraphDef graph) {
    return graph.getNodeList().stream().filter(node -> node.getOp().equals(OP)).count();
  }

  /**
   * Writes into the empty folder {@code target} the SavedModel of {@code source} with its graphs fused; every other
   * entry of {@code source} (variables, assets) is linked, not copied. Returns how many nodes were fused.
   */
  public static long writeFused(Path source, Path target) throws IOException {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(source.resolve(SAVED_MODEL)));
    SavedModel.Builder rewritten = model.toBuilder();
    long fused = 0;
    for (int i = 0; i < rewritten.getMetaGraphsCount(); i++) {
      GraphDef graph = fuse(rewritten.getMetaGraphs(i).getGraphDef());
      rewritten.getMetaGraphsBuilder(i).setGraphDef(graph);
      fused += fusedNodes(graph);
    }
    Files.write(target.resolve(SAVED_MODEL), rewritten.build().toByteArray());
    try (Stream<Path> entries = Files.list(source)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (!entry.getFileName().toString().equals(SAVED_MODEL)) {
          Files.createSymbolicLink(target.resolve(entry.getFileName().toString()), entry.toAbsolutePath());
        }
      }
    }
    return fused;
  }

  /** The fused node that replaces {@code silu}, when it is the SiLU of a GroupNorm of the form above. */
  private Optional<NodeDef> fused(NodeDef silu) {
    if (!isFloat(silu, "Mul") || silu.getInputCount() != 2) {
      return Optional.empty();
    }
    NodeDef sigmoid = input(silu, 1);
    NodeDef sum = input(silu, 0);
    if (!isFloat(sigmoid, "Sigmoid") || !name(sigmoid.getInput(0)).equals(name(silu.getInput(0)))
        || !isFloat(sum, "Add", "AddV2")) {
      return Optional.empty();
    }
    NodeDef scaled = input(sum, 0);
    NodeDef shift = input(sum, 1);
    if (!isFloat(scaled, "Mul") || !isFloat(shift, "Sub")) {
      return Optional.empty();
    }
    NodeDef scale = input(scaled, 1);
    NodeDef meanTimesScale = input(shift, 1);
    if (!isFloat(scale, "Mul") || !isFloat(meanTimesScale, "Mul")
        || !name(meanTimesScale.getInput(1)).equals(scale.getName())) {
      return Optional.empty();
    }
    NodeDef rsqrt = input(scale, 1);
    NodeDef plusEpsilon = isFloat(rsqrt, "Rsqrt") ? input(rsqrt, 0) : null;
    if (!isFloat(plusEpsilon, "Add", "AddV2") || !isFloat(input(plusEpsilon, 0), "Maximum")) {
      return Optional.empty();
    }
    Optional<Float> epsilon = scalar(input(plusEpsilon, 1));
    String x = scaled.getInput(0);
    Optional<Integer> groups = groupsOfMean(input(meanTimesScale, 0), x);
    if (epsilon.isEmpty() || groups.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(NodeDef.newBuilder()
        .setName(silu.getName())
        .setOp(OP)
        .setDevice(silu.getDevice())
        .addInput(x)
        .addInput(scale.getInput(0))
        .addInput(shift.getInput(0))
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("groups", AttrValue.newBuilder().setI(groups.get()).build())
        .putAttr("epsilon", AttrValue.newBuilder().setF(epsilon.get()).build())
        .build());
  }

  /**
   * The group count of {@code mean} = Reshape(MatMul(Reshape(Sum(x)), Div(M, pixels))), read from M, when mean is
   * that of {@code x} and M averages groups of consecutive channels.
   */
  private Optional<Integer> groupsOfMean(NodeDef mean, String x) {
    NodeDef product = isFloat(mean, "Reshape") ? input(mean, 0) : null;
    NodeDef rows = isFloat(product, "MatMul") ? input(product, 0) : null;
    NodeDef sum = isFloat(rows, "Reshape") ? input(rows, 0) : null;
    NodeDef average = isFloat(product, "MatMul") ? input(product, 1) : null;
    if (!isFloat(sum, "Sum") || !name(sum.getInput(0)).equals(name(x)) || !isFloat(average, "Div")) {
      return Optional.empty();
    }
    NodeDef matrix = input(average, 0);
    if (matrix == null || !matrix.getOp().equals("Const")) {
      return Optional.empty();
    }
    return groupsOf(matrix.getAttrOrThrow("value").getTensor());
  }

  /**
   * G where {@code matrix} is [C, C] with M[i][j] = G/C where channels i and j fall in one of G equal runs and 0
   * elsewhere: the average over each group, as GroupNorm writes it.
   */
  static Optional<Integer> groupsOf(TensorProto matrix) {
    if (matrix.getDtype() != DataType.DT_FLOAT || matrix.getTensorShape().getDimCount() != 2) {
      return Optional.empty();
    }
    int channels = (int) matrix.getTensorShape().getDim(0).getSize();
    float[] values = floats(matrix);
    if (channels < 1 || matrix.getTensorShape().getDim(1).getSize() != channels
        || values.length != channels * channels) {
      return Optional.empty();
    }
    int size = 0;
    while (size < channels && values[size] != 0) {
      size++;
    }
    if (size == 0 || channels % size != 0) {
      return Optional.empty();
    }
    for (int i = 0; i < channels; i++) {
      for (int j = 0; j < channels; j++) {
        if (values[i * channels + j] != (i / size == j / size ? 1f / size : 0f)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(channels / size);
  }

  private static float[] floats(TensorProto tensor) {
    if (!tensor.getTensorContent().isEmpty()) {
      FloatBuffer buffer =
          tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return values;
    }
    List<Float> listed = tensor.getFloatValList();
    float[] values = new float[listed.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = listed.get(i);
    }
    return values;
  }

  private static Optional<Float> scalar(NodeDef constant) {
    if (constant == null || !constant.getOp().equals("Const")) {
      return Optional.empty();
    }
    TensorProto value = constant.getAttrOrThrow("value").getTensor();
    float[] values = floats(value);
    return value.getDtype() == DataType.DT_FLOAT && value.getTensorShape().getDimCount() == 0 && values.length == 1
        ? Optional.of(values[0]) : Optional.empty();
  }

  /** The node an input names; null for a control input or a name the graph lacks. */
  private NodeDef input(NodeDef node, int index) {
    String input = node.getInput(index);
    return input.startsWith("^") ? null : nodes.get(name(input));
  }

  /** A node's name from an input reference: "name" and "name:0" both name the node's first output. */
  private static String name(String input) {
    return input.endsWith(":0") ? input.substring(0, input.length() - 2) : input;
  }

  private static boolean isFloat(NodeDef node, String... ops) {
    if (node == null || !List.of(ops).contains(node.getOp())) {
      return false;
    }
    AttrValue type = node.getAttrMap().get("T");
    return type == null || type.getType() == DataType.DT_FLOAT;
  }
}
