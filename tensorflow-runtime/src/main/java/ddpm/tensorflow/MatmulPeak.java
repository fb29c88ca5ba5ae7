package ddpm.tensorflow;

import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The machine's matrix peak in a precision: a large square float32 matrix product run in the session configuration
 * a network gets on that device in that precision ({@link ComputeDevice#sessionConfig}), so that bf16's peak is what
 * grappler's rewrite of a float32 graph to bfloat16 reaches, as it is for the network. What a network's GFLOP/s is
 * read against. Opening one in another precision than fp32 checks that the rewrite happened: its product must
 * differ from fp32's, as bfloat16's 8 significant bits make it.
 */
public final class MatmulPeak implements AutoCloseable {
  /**
   * 2·n³ = 17 GFLOP per product at n = 2048, a tenth of a second or more on a CPU, so that the product and not the
   * call sets the time, in 48 MiB of operands and result.
   */
  public static final int DEFAULT_SIZE = 2048;
  private static final String A = "a";
  private static final String B = "b";
  private static final String PRODUCT = "product";

  private final int size;
  private final Graph graph;
  private final Session session;
  private final TFloat32 a;
  private final TFloat32 b;
  private final double relativeRmsFromFp32;

  private MatmulPeak(int size, Graph graph, Session session, TFloat32 a, TFloat32 b, double relativeRmsFromFp32) {
    this.size = size;
    this.graph = graph;
    this.session = session;
    this.a = a;
    this.b = b;
    this.relativeRmsFromFp32 = relativeRmsFromFp32;
  }

  /**
   * A {@code size}×{@code size} product of matrices drawn from N(0, 1) with {@code seed}, on {@code device} in
   * {@code precision} (one that runs there: {@link PrecisionChoice#select}), computed once already, so that grappler
   * has rewritten the graph and the first call's costs are paid. IllegalStateException when a precision
   * other than fp32 computes fp32's product bit for bit: the rewrite did not happen, and the peak would be fp32's.
   */
  public static MatmulPeak open(ComputeDevice device, Precision precision, int size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be ≥ 1, got " + size);
    }
    TensorFlowRuntime.init();
    Graph graph = new Graph();
    Session session = null;
    TFloat32 a = null;
    TFloat32 b = null;
    try {
      Ops tf = Ops.create(graph);
      Shape square = Shape.of(size, size);
      // The fetched op is an Identity, as a SavedModel's output is, so that the product itself is free to rewrite.
      tf.withName(PRODUCT).identity(tf.linalg.matMul(
          tf.withName(A).placeholder(TFloat32.class, Placeholder.shape(square)),
          tf.withName(B).placeholder(TFloat32.class, Placeholder.shape(square))));
      Random random = new Random(seed);
      a = gaussian(square, random);
      b = gaussian(square, random);
      session = new Session(graph, device.sessionConfig(precision));
      float[] product = product(session, a, b);
      double relative = 0;
      if (precision != Precision.FP32) {
        try (Session fp32 = new Session(graph, device.sessionConfig(Precision.FP32))) {
          relative = relativeRms(product(fp32, a, b), product);
        }
        if (relative == 0) {
          throw new IllegalStateException("a " + precision + " session on " + device + " computed the float32"
              + " matrix product bit for bit: TensorFlow did not rewrite it to " + precision);
        }
      }
      return new MatmulPeak(size, graph, session, a, b, relative);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      graph.close();
      throw e;
    }
  }

  /** The floating-point operations of one product: n² sums of n multiply-adds. */
  public long flops() {
    return 2L * size * size * size;
  }

  /** Computes the product once. */
  public void multiply() {
    run(session, a, b).close();
  }

  /** The RMS of this precision's product's difference from fp32's, relative to fp32's RMS; 0 in fp32. */
  public double relativeRmsFromFp32() {
    return relativeRmsFromFp32;
  }

  @Override
  public void close() {
    session.close();
    a.close();
    b.close();
    graph.close();
  }

  private static TFloat32 gaussian(Shape shape, Random random) {
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static float[] product(Session session, TFloat32 a, TFloat32 b) {
    try (Result result = run(session, a, b)) {
      TFloat32 product = (TFloat32) result.get(0);
      float[] values = new float[Math.toIntExact(product.shape().size())];
      product.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  private static Result run(Session session, TFloat32 a, TFloat32 b) {
    return session.runner().feed(A, a).feed(B, b).fetch(PRODUCT).run();
  }

  private static double relativeRms(float[] reference, float[] other) {
    double squares = 0;
    double referenceSquares = 0;
    for (int i = 0; i < reference.length; i++) {
      double d = (double) other[i] - reference[i];
      squares += d * d;
      referenceSquares += (double) reference[i] * reference[i];
    }
    return Math.sqrt(squares / referenceSquares);
  }
}
