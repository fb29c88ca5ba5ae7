package ddpm.denoiser.engine;

import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.tensorflow.engine.TfSymbolBlock;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.repository.EpsContract;
import ddpm.repository.Folders;
import ddpm.repository.ModelCard;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.Precision;
import ddpm.tensorflow.TensorFlowRuntime;
import ddpm.tensorflow.kernels.FusedKernels;
import ddpm.tensorflow.kernels.GroupNormSiluFusion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * An ε_θ SavedModel ({@value EpsContract#TENSORFLOW_SAVED_MODEL}) served by DJL's TensorFlow engine. Loading
 * checks the {@value EpsContract#SIGNATURE_KEY} signature against the model card (inputs x_t float32
 * [-1, H, W, C] and t int32 [-1], output eps [-1, H, W, C]; see {@link EpsContract}), so a mismatched export
 * fails at load with a message rather than on the first request. Every other input of the signature is an
 * extra input of the network (class labels, for a conditional model), int32 or float32 [-1, ...], which every
 * call feeds.
 */
public final class DjlEpsNetwork implements EpsNetwork {
  private static final String SAVED_MODEL = "saved_model.pb";

  private final ZooModel<NDList, NDList> model;
  private final Shape image;
  private final SortedMap<String, InputSpec> extraInputs;
  private final ComputeDevice device;
  private final Precision precision;
  private final GroupNormKernel groupNorm;

  private DjlEpsNetwork(ZooModel<NDList, NDList> model, Shape image, SortedMap<String, InputSpec> extraInputs,
      ComputeDevice device, Precision precision, GroupNormKernel groupNorm) {
    this.model = model;
    this.image = image;
    this.extraInputs = extraInputs;
    this.device = device;
    this.precision = precision;
    this.groupNorm = groupNorm;
  }

  /** {@link #load(Path, ModelCard, ComputeDevice, Precision)} on the CPU in fp32. */
  public static DjlEpsNetwork load(Path versionDir, ModelCard card) {
    return load(versionDir, card, ComputeDevice.CPU, Precision.FP32);
  }

  /** {@link #load(Path, ModelCard, ComputeDevice, Precision, GroupNormKernel)} with TensorFlow's own ops. */
  public static DjlEpsNetwork load(Path versionDir, ModelCard card, ComputeDevice device, Precision precision) {
    return load(versionDir, card, device, precision, GroupNormKernel.STOCK);
  }

  /**
   * Loads {@code versionDir} to run on {@code device} in {@code precision} (one that runs there: see
   * tensorflow-runtime's {@code PrecisionChoice}); IllegalStateException naming the folder when it is not a matching
   * SavedModel. With {@code groupNorm} FUSED on the CPU, where the fused kernel loads, each GroupNorm followed by
   * SiLU runs as one op (a rewritten copy of the graph, see {@link GroupNormSiluFusion});
   * {@link #groupNorm()} says what ran.
   */
  public static DjlEpsNetwork load(Path versionDir, ModelCard card, ComputeDevice device, Precision precision,
      GroupNormKernel groupNorm) {
    // DJL would otherwise look for a .pb under another name and fail with a vaguer message.
    if (!Files.isRegularFile(versionDir.resolve(SAVED_MODEL))) {
      throw new IllegalStateException(versionDir + ": no " + SAVED_MODEL + ", so it is not a TensorFlow SavedModel");
    }
    TensorFlowRuntime.init();
    if (groupNorm == GroupNormKernel.FUSED && device == ComputeDevice.CPU && FusedKernels.available()) {
      Path fused = null;
      try {
        fused = Files.createTempDirectory("ddpm-fused-");
        if (GroupNormSiluFusion.writeFused(versionDir, fused) > 0) {
          return load(fused, versionDir, card, device, precision, GroupNormKernel.FUSED);
        }
      } catch (IOException e) {
        throw new IllegalStateException(versionDir + ": cannot write the fused copy of its graph: " + e.getMessage(),
            e);
      } finally {
        // TensorFlow has read the graph and the variables by now; the copy holds only links besides the graph.
        deleteCopy(fused);
      }
    }
    return load(versionDir, versionDir, card, device, precision, GroupNormKernel.STOCK);
  }

  /** Loads the SavedModel in {@code graphDir}, a copy of {@code versionDir}'s or that folder itself. */
  private static DjlEpsNetwork load(Path graphDir, Path versionDir, ModelCard card, ComputeDevice device,
      Precision precision, GroupNormKernel groupNorm) {
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optEngine(TensorFlowRuntime.ENGINE)
        .optDevice(device.djl())
        .optModelPath(graphDir)
        .optOption("SignatureDefKey", EpsContract.SIGNATURE_KEY)
        .optOption("ConfigProto", Base64.getEncoder().encodeToString(device.sessionConfig(precision).toByteArray()))
        .optTranslator(new NoopTranslator())
        .build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelException | IOException | RuntimeException e) {
      throw new IllegalStateException(versionDir + ": TensorFlow cannot load the SavedModel: " + e.getMessage(), e);
    }
    Shape image = new Shape(card.height(), card.width(), card.channels());
    try {
      return new DjlEpsNetwork(model, image, checkSignature(model.getBlock(), image, versionDir), device,
          precision, groupNorm);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Deletes the fused copy: its graph and its links (Files.walk does not follow them to the version's files). */
  private static void deleteCopy(Path copy) {
    if (copy == null) {
      return;
    }
    try {
      Folders.deleteTree(copy);
    } catch (IOException e) {
      // A temporary folder of links left behind costs nothing; the load's outcome stands.
    }
  }

  /** {@code fused} only where the graph was rewritten. */
  @Override
  public String groupNorm() {
    return groupNorm.flagValue();
  }

  @Override
  public Map<String, InputSpec> extraInputs() {
    return extraInputs;
  }

  @Override
  public String device() {
    return device.label();
  }

  @Override
  public String precision() {
    return precision.label();
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    return predict(xt, t, ExtraInputs.NONE);
  }

  @Override
  public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
    if (!inputs.specs().equals(extraInputs)) {
      throw new IllegalArgumentException("the network takes the extra inputs " + extraInputs + ", got "
          + inputs.specs());
    }
    Shape batch = new Shape(t.length).addAll(image);
    try (NDManager manager = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      // DJL matches named arrays to the signature inputs; unnamed ones would be fed in name order.
      NDList feed = new NDList(
          named(manager.create(t), EpsContract.T), named(manager.create(xt, batch), EpsContract.X_T));
      inputs.asMap().forEach((name, input) -> feed.add(named(array(manager, input), name)));
      NDArray eps = predictor.predict(feed).singletonOrThrow();
      if (!eps.getShape().equals(batch)) {
        throw new InferenceException("the network returned eps of shape " + eps.getShape() + ", not " + batch, null);
      }
      return eps.toFloatArray();
    } catch (TranslateException e) {
      throw new InferenceException("TensorFlow failed to evaluate the network: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    model.close();
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  private static NDArray array(NDManager manager, ExtraInput input) {
    Shape shape = new Shape(input.batchShape());
    return switch (input.spec().dtype()) {
      case INT32 -> manager.create(input.ints(), shape);
      case FLOAT32 -> manager.create(input.floats(), shape);
    };
  }

  /** The signature's extra inputs, once x_t, t and eps are as the card needs. */
  private static SortedMap<String, InputSpec> checkSignature(Block block, Shape image, Path dir) {
    if (!(block instanceof TfSymbolBlock symbols)) {
      throw new IllegalStateException(dir + ": DJL did not load a TensorFlow graph but " + block);
    }
    Map<String, SignatureDef> signatures = symbols.getSavedModelBundle().getMetaGraphDef().getSignatureDefMap();
    SignatureDef signature = signatures.get(EpsContract.SIGNATURE_KEY);
    if (signature == null) {
      throw new IllegalStateException(dir + ": the SavedModel has no signature " + EpsContract.SIGNATURE_KEY
          + ", only " + new TreeSet<>(signatures.keySet()));
    }
    Map<String, TensorInfo> inputs = signature.getInputsMap();
    Map<String, TensorInfo> outputs = signature.getOutputsMap();
    if (!inputs.containsKey(EpsContract.X_T) || !inputs.containsKey(EpsContract.T)
        || !outputs.keySet().equals(Set.of(EpsContract.EPS))) {
      throw new IllegalStateException(dir + ": " + EpsContract.SIGNATURE_KEY + " must take inputs "
          + EpsContract.X_T + " and " + EpsContract.T + " (and any extra inputs) and return [" + EpsContract.EPS
          + "], but takes " + new TreeSet<>(inputs.keySet()) + " and returns " + new TreeSet<>(outputs.keySet()));
    }
    Shape images = new Shape(-1).addAll(image);
    checkTensor(dir, "input " + EpsContract.X_T, inputs.get(EpsContract.X_T), DataType.DT_FLOAT, images);
    checkTensor(dir, "input " + EpsContract.T, inputs.get(EpsContract.T), DataType.DT_INT32, new Shape(-1));
    checkTensor(dir, "output " + EpsContract.EPS, outputs.get(EpsContract.EPS), DataType.DT_FLOAT, images);
    SortedMap<String, InputSpec> extras = new TreeMap<>();
    inputs.forEach((name, info) -> {
      if (!name.equals(EpsContract.X_T) && !name.equals(EpsContract.T)) {
        extras.put(name, extraInput(dir, name, info));
      }
    });
    return Collections.unmodifiableSortedMap(extras);
  }

  private static void checkTensor(Path dir, String what, TensorInfo info, DataType dtype, Shape expected) {
    if (info.getDtype() != dtype) {
      throw new IllegalStateException(dir + ": " + EpsContract.SIGNATURE_KEY + " " + what + " has dtype "
          + info.getDtype() + " but the contract needs " + dtype);
    }
    Shape actual = shape(info);
    if (!expected.equals(actual)) {
      throw new IllegalStateException(dir + ": " + EpsContract.SIGNATURE_KEY + " " + what + " has shape "
          + describe(actual) + " but the model card needs " + expected);
    }
  }

  /** An extra input: int32 or float32, the batch first and every other dimension known. */
  private static InputSpec extraInput(Path dir, String name, TensorInfo info) {
    String where = dir + ": " + EpsContract.SIGNATURE_KEY + " extra input " + name;
    InputSpec.Dtype dtype = switch (info.getDtype()) {
      case DT_INT32 -> InputSpec.Dtype.INT32;
      case DT_FLOAT -> InputSpec.Dtype.FLOAT32;
      default -> throw new IllegalStateException(where + " has dtype " + info.getDtype()
          + "; this denoiser feeds extra inputs of DT_INT32 or DT_FLOAT");
    };
    Shape shape = shape(info);
    long[] dims = shape == null ? new long[0] : shape.getShape();
    if (dims.length < 1 || dims[0] != -1 || Arrays.stream(dims, 1, dims.length).anyMatch(d -> d < 1)) {
      throw new IllegalStateException(where + " has shape " + describe(shape)
          + "; an extra input must be (-1, ...), the batch first and every other dimension known");
    }
    return new InputSpec(dtype, Arrays.stream(dims, 1, dims.length).mapToObj(d -> (int) d).toList());
  }

  /** The tensor's shape, unknown dimensions -1; null when even its rank is unknown. */
  private static Shape shape(TensorInfo info) {
    TensorShapeProto proto = info.getTensorShape();
    return proto.getUnknownRank()
        ? null : new Shape(proto.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray());
  }

  private static String describe(Shape shape) {
    return shape == null ? "of unknown rank" : shape.toString();
  }
}
