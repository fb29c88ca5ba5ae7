package ddpm.cli;

import ddpm.api.v1.SamplePreview;
import ddpm.grpc.TensorCodec;
import ddpm.images.ImageGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `ddpm sample --previews DIR`: the x̂₀ of every preview (Ho et al. Fig. 6) as DIR/step-NNNN.png, a grid of the
 * images at that step, and DIR/strip-III.png, image III's x̂₀ over the steps from left to right
 * (32 to a row).
 */
final class PreviewFiles {
  private final Path folder;
  private final List<SamplePreview> previews = new ArrayList<>();

  PreviewFiles(Path folder) {
    this.folder = folder;
  }

  void add(SamplePreview preview) {
    previews.add(preview);
  }

  void write() throws IOException {
    if (previews.isEmpty()) {
      return;
    }
    Files.createDirectories(folder);
    long[] shape = TensorCodec.shape(previews.get(0).getX0Hat());
    int n = (int) shape[0];
    int h = (int) shape[1];
    int w = (int) shape[2];
    int c = (int) shape[3];
    int size = h * w * c;
    int frames = previews.size();
    byte[][] strips = new byte[n][frames * size];
    for (int f = 0; f < frames; f++) {
      SamplePreview preview = previews.get(f);
      byte[] x0Hat = TensorCodec.toBytes(preview.getX0Hat(), "x0_hat");
      Files.write(folder.resolve(String.format("step-%04d.png", preview.getStep())), ImageGrid.png(x0Hat, n, h, w, c));
      for (int i = 0; i < n; i++) {
        System.arraycopy(x0Hat, i * size, strips[i], f * size, size);
      }
    }
    int[] oneRow = new int[frames];
    for (int i = 0; i < n; i++) {
      Files.write(folder.resolve(String.format("strip-%03d.png", i)), ImageGrid.pngByRow(strips[i], oneRow, h, w, c));
    }
  }
}
