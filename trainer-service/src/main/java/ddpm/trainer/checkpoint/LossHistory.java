package ddpm.trainer.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The loss of every step so far (index i holds step i + 1), saved with each checkpoint as little-endian float32. */
public final class LossHistory {
  private float[] losses;
  private int size;

  public LossHistory() {
    this(new float[1024], 0);
  }

  private LossHistory(float[] losses, int size) {
    this.losses = losses;
    this.size = size;
  }

  public void add(float loss) {
    if (size == losses.length) {
      losses = Arrays.copyOf(losses, 2 * losses.length);
    }
    losses[size++] = loss;
  }

  /** The loss of the newest step; NaN before the first. */
  public double last() {
    return size == 0 ? Double.NaN : losses[size - 1];
  }

  public int size() {
    return size;
  }

  /** A copy of the losses of steps 1..size. */
  public float[] values() {
    return Arrays.copyOf(losses, size);
  }

  void write(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(losses, 0, size);
    Files.write(file, bytes.array());
  }

  static LossHistory read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length % 4 != 0) {
      throw new IOException(file + ": " + bytes.length + " bytes are not whole float32 values");
    }
    float[] values = new float[Math.max(1024, bytes.length / 4)];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, 0, bytes.length / 4);
    return new LossHistory(values, bytes.length / 4);
  }
}
