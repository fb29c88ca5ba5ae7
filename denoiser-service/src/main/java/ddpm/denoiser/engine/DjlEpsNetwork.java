package ddpm.denoiser.engine;

import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An ε_θ SavedModel ({@value EpsContract#TENSORFLOW_SAVED_MODEL}) served by DJL's TensorFlow engine. Loading
 * checks the {@value EpsContract#SIGNATURE_KEY} signature against the model card (inputs x_t float32
 * [-1, H, W, C] and t int32 [-1], output eps [-1, H, W, C]; see {@link EpsContract}), so a mismatched export
 * fails at load with a message rather than on the first request.
 */
public final class DjlEpsNetwork implements EpsNetwork {
  private static final String SAVED_MODEL = "saved_model.pb";

  private final ZooModel<NDList, NDList> model;
  private final Shape image;

  private DjlEpsNetwork(ZooModel<NDList, NDList> model, Shape image) {
    this.model = model;
    this.image = image;
  }

  /** Loads {@code versionDir}; IllegalStateException naming the folder when it is not a matching SavedModel. */
  public static DjlEpsNetwork load(Path versionDir, ModelCard card) {
    // DJL would otherwise look for a .pb under another name and fail with a vaguer message.
    if (!Files.isRegularFile(versionDir.resolve(SAVED_MODEL))) {
      throw new IllegalStateException(versionDir + ": no " + SAVED_MODEL + ", so it is not a TensorFlow SavedModel");
    }
    TensorFlowRuntime.init();
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optEngine("TensorFlow")
        .optModelPath(versionDir)
        .optOption("SignatureDefKey", EpsContract.SIGNATURE_KEY)
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
      checkSignature(model.getBlock(), image, versionDir);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new DjlEpsNetwork(model, image);
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    Shape batch = new Shape(t.length).addAll(image);
    try (NDManager manager = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      NDArray tArray = manager.create(t);
      tArray.setName(EpsContract.T);
      NDArray xtArray = manager.create(xt, batch);
      xtArray.setName(EpsContract.X_T);
      // DJL matches named arrays to the signature inputs; unnamed ones would be fed in name order.
      NDArray eps = predictor.predict(new NDList(tArray, xtArray)).singletonOrThrow();
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

  private static void checkSignature(Block block, Shape image, Path dir) {
    if (!(block instanceof SymbolBlock symbols)) {
      throw new IllegalStateException(dir + ": DJL did not load a TensorFlow graph but " + block);
    }
    Shape images = new Shape(-1).addAll(image);
    PairList<String, Shape> inputs = symbols.describeInput();
    PairList<String, Shape> outputs = symbols.describeOutput();
    if (!inputs.keys().stream().sorted().toList().equals(List.of(EpsContract.T, EpsContract.X_T))
        || !outputs.keys().equals(List.of(EpsContract.EPS))) {
      throw new IllegalStateException(dir + ": " + EpsContract.SIGNATURE_KEY + " must take inputs ["
          + EpsContract.T + ", " + EpsContract.X_T + "] and return [" + EpsContract.EPS + "], but takes "
          + inputs.keys() + " and returns " + outputs.keys());
    }
    checkShape(dir, "input " + EpsContract.X_T, inputs.get(EpsContract.X_T), images);
    checkShape(dir, "input " + EpsContract.T, inputs.get(EpsContract.T), new Shape(-1));
    checkShape(dir, "output " + EpsContract.EPS, outputs.get(EpsContract.EPS), images);
  }

  private static void checkShape(Path dir, String what, Shape actual, Shape expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(dir + ": " + EpsContract.SIGNATURE_KEY + " " + what + " has shape " + actual
          + " but the model card needs " + expected);
    }
  }
}
