package ddpm.tensorflow;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The floating-point operations of one forward pass per example, counted from the graph itself rather than from a
 * formula of the architecture, so that the count follows the network as it changes: two (a multiply and an add)
 * per multiply-add of every Conv2D, MatMul and BatchMatMul that the fetched outputs depend on, from their static
 * shapes. Those shapes are known but for one dimension, the batch; a product whose shapes have no batch dimension
 * works on weights alone, once per call whatever the batch (grappler folds it into a constant), and is left out.
 * Elementwise ops (bias, normalisation, activations, softmax, casts) are left out too: about one operation per
 * element against a convolution's k·k·C_in multiply-adds per element, so a few per cent at most.
 *
 * @param perExample floating-point operations per example
 * @param counted how many ops of each type were counted
 */
public record ForwardFlops(long perExample, SortedMap<String, Integer> counted) {
  private static final String SERVE_TAG = "serve";

  public ForwardFlops {
    counted = Collections.unmodifiableSortedMap(new TreeMap<>(counted));
  }

  /**
   * The forward pass of a SavedModel's signature {@code signatureKey}: every op its outputs depend on.
   * IllegalArgumentException naming the key when the SavedModel has no such signature.
   */
  public static ForwardFlops ofSavedModel(Path dir, String signatureKey) {
    TensorFlowRuntime.init();
    try (SavedModelBundle model = SavedModelBundle.load(dir.toString(), SERVE_TAG)) {
      SignatureDef signature = model.metaGraphDef().getSignatureDefMap().get(signatureKey);
      if (signature == null) {
        throw new IllegalArgumentException(dir + ": no signature " + signatureKey + ", only "
            + new TreeSet<>(model.metaGraphDef().getSignatureDefMap().keySet()));
      }
      return of(model.graph(), signature.getOutputsMap().values().stream().map(TensorInfo::getName).toList());
    }
  }

  /**
   * The forward pass that computes {@code outputs} (tensor names, {@code op} or {@code op:index}) in {@code graph}.
   * IllegalArgumentException naming the op when a counted op's shapes are unknown beyond the batch dimension.
   */
  public static ForwardFlops of(Graph graph, Collection<String> outputs) {
    Deque<GraphOperation> pending = new ArrayDeque<>();
    for (String output : outputs) {
      pending.add(graph.operationOrThrow(output.split(":", 2)[0]));
    }
    Set<String> seen = new HashSet<>();
    SortedMap<String, Integer> counted = new TreeMap<>();
    long flops = 0;
    while (!pending.isEmpty()) {
      GraphOperation op = pending.pop();
      if (!seen.add(op.name())) {
        continue;
      }
      for (Operand<?> input : op.inputs()) {
        pending.add((GraphOperation) input.op());
      }
      pending.addAll(op.controlInputs());
      long perOutput = multiplyAddsPerOutputElement(op);
      if (perOutput > 0) {
        long outputsPerExample = outputElementsPerExample(op);
        if (outputsPerExample > 0) {
          flops += 2 * perOutput * outputsPerExample;
          counted.merge(op.type(), 1, Integer::sum);
        }
      }
    }
    return new ForwardFlops(flops, counted);
  }

  /**
   * The multiply-adds that make one element of a product's output: the length of the sum it is (0 for an op that is
   * not a product). Conv2D: kernel height × width × the filter's input channels (so grouped convolutions count
   * right); MatMul and BatchMatMul: the shared dimension.
   */
  private static long multiplyAddsPerOutputElement(GraphOperation op) {
    switch (op.type()) {
      case "Conv2D" -> {
        return knownProduct(op, op.input(1).shape(), 0, 1, 2);
      }
      case "MatMul" -> {
        return knownProduct(op, op.input(0).shape(), op.attributes().getAttrBool("transpose_a") ? 0 : 1);
      }
      case "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3" -> {
        Shape x = op.input(0).shape();
        int rank = x.numDimensions();
        return knownProduct(op, x, op.attributes().getAttrBool("adj_x") ? rank - 2 : rank - 1);
      }
      default -> {
        return 0;
      }
    }
  }

  /** The product of the output's dimensions but the batch; 0 when it has none (it does not grow with the batch). */
  private static long outputElementsPerExample(GraphOperation op) {
    Shape output = op.output(0).shape();
    if (output.isUnknown()) {
      throw unknown(op, output);
    }
    long elements = 1;
    int unknown = 0;
    for (int d = 0; d < output.numDimensions(); d++) {
      if (output.size(d) < 0) {
        unknown++;
      } else {
        elements *= output.size(d);
      }
    }
    if (unknown > 1) {
      throw unknown(op, output);
    }
    return unknown == 1 ? elements : 0;
  }

  /** The product of some of {@code shape}'s dimensions, which must be known. */
  private static long knownProduct(GraphOperation op, Shape shape, int... dimensions) {
    long product = 1;
    for (int d : dimensions) {
      if (shape.isUnknown() || d < 0 || d >= shape.numDimensions() || shape.size(d) < 0) {
        throw unknown(op, shape);
      }
      product *= shape.size(d);
    }
    return product;
  }

  private static IllegalArgumentException unknown(GraphOperation op, Shape shape) {
    return new IllegalArgumentException(op.type() + " " + op.name() + ": shape " + shape + " is unknown where its"
        + " floating-point operations per example need it (only the batch dimension may be unknown)");
  }
}
