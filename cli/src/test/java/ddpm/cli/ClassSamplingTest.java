package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.images.ImageGrid;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ddpm sample}'s class options: what they send in SampleRequest.class_labels and guidance_scale, and the
 * NPZ and grid they write from SampleResult.class_labels, against a sampler on loopback that answers each image
 * with the pixel value 10·label + 5 and returns the labels it was given, one per image, as sampler.proto says.
 */
class ClassSamplingTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;
  private final List<SampleRequest> requests = Collections.synchronizedList(new ArrayList<>());

  @Test
  void perClassDrawsKOfEveryClassInClassOrderWithOneClassPerGridRow() throws Exception {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--per-class", "3", "--num-classes", "4",
        "--guidance", "2.5", "--out", dir.resolve("s").toString(), "--target", labellingSampler());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, requests.size());
    assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3), requests.get(0).getClassLabelsList());
    assertEquals(12, requests.get(0).getNumImages());
    assertEquals(2.5, requests.get(0).getGuidanceScale());
    assertFalse(requests.get(0).hasGuidanceInterval());
    NpyFile labels = NpyFile.read(dir.resolve("s.npz"), "arr_1");
    assertEquals("<i8", labels.descr());
    assertArrayEquals(new long[] {12}, labels.shape());
    assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, int64s(labels.data()));
    assertArrayEquals(new long[] {12, 4, 4, 1}, NpyFile.read(dir.resolve("s.npz"), "arr_0").shape());
    BufferedImage grid = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("s.png"))));
    int cell = 32 + ImageGrid.PADDING;
    assertEquals(3 * cell + ImageGrid.PADDING, grid.getWidth());
    assertEquals(4 * cell + ImageGrid.PADDING, grid.getHeight());
    for (int row = 0; row < 4; row++) {
      for (int column = 0; column < 3; column++) {
        assertEquals(10 * row + 5, grid.getRaster().getSample(
            ImageGrid.PADDING + column * cell, ImageGrid.PADDING + row * cell, 0), "row " + row);
      }
    }
  }

  @Test
  void oneClassForManyRequestsGoesWithEveryRequestAndEveryImage() throws Exception {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--class", "7", "--n", "300",
        "--out", dir.resolve("s").toString(), "--target", labellingSampler());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(List.of(256, 44), requests.stream().map(SampleRequest::getNumImages).toList());
    assertEquals(Collections.nCopies(44, 7), requests.get(1).getClassLabelsList());
    assertEquals(0, requests.get(1).getGuidanceScale());
    long[] sevens = new long[300];
    Arrays.fill(sevens, 7);
    assertArrayEquals(sevens, int64s(NpyFile.read(dir.resolve("s.npz"), "arr_1").data()));
    assertTrue(run.out().contains("and their classes (arr_1)"), run.out());
  }

  @Test
  void classesGiveOneClassPerImageAndWithoutNTheirCountIsN() throws Exception {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--classes", "2,0,2", "--out",
        dir.resolve("s").toString(), "--target", labellingSampler());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(List.of(2, 0, 2), requests.get(0).getClassLabelsList());
    assertArrayEquals(new long[] {2, 0, 2}, int64s(NpyFile.read(dir.resolve("s.npz"), "arr_1").data()));
  }

  @Test
  void withoutAClassOptionTheRequestAndTheNpzAreAsBefore() throws Exception {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--n", "2", "--out", dir.resolve("s").toString(),
        "--target", labellingSampler());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(0, requests.get(0).getClassLabelsCount());
    assertTrue(requests.get(0).getIncludePng());
    try (ZipFile zip = new ZipFile(dir.resolve("s.npz").toFile())) {
      assertEquals(List.of("arr_0.npy"), Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList());
    }
  }

  @Test
  void theServersRefusalOfLabelsPrintsAsOneLine() throws Exception {
    String sampler = sampler((request, response) -> response.onError(Status.INVALID_ARGUMENT
        .withDescription("class_labels: model m version 1 is unconditional (no num_classes)").asException()));

    CommandRun run = CommandRun.of("sample", "--model", "m", "--class", "3", "--out", dir.resolve("s").toString(),
        "--target", sampler);

    assertEquals(1, run.exitCode());
    assertEquals("ddpm sample: INVALID_ARGUMENT: class_labels: model m version 1 is unconditional (no num_classes)",
        run.err().strip());
  }

  @Test
  void aSamplerThatDropsTheLabelsIsAnErrorNotUnlabelledSamples() throws Exception {
    String sampler = sampler((request, response) -> answer(response, result(request, List.of())));

    CommandRun run = CommandRun.of("sample", "--model", "m", "--class", "3", "--n", "2",
        "--out", dir.resolve("s").toString(), "--target", sampler);

    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("the sampler returned 0 class labels for 2 images"), run.err());
    assertTrue(Files.notExists(dir.resolve("s.npz")));
  }

  @Test
  void perClassOnAnUnconditionalModelSaysSoBeforeSampling() throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("gauss", 4, 4, 1, 10, "linear");
    ExactDenoisers.publishGaussian(new ModelRepository(models), card, 0, 0.5f);

    CommandRun run = CommandRun.of("sample", "--model", "gauss", "--per-class", "2", "--out",
        dir.resolve("s").toString(), "--models", models.toString(), "--data", dir.resolve("data").toString(),
        "--work", dir.resolve("work").toString());

    assertEquals(1, run.exitCode());
    assertEquals("ddpm sample: --per-class needs a class-conditional model: gauss version 1 has no classes",
        run.err().strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void theThreeClassOptionsExcludeEachOtherNamingTheFlags() {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--class", "1", "--per-class", "2");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("Error: --class=K, --per-class=K are mutually exclusive (specify only one)"),
        run.err());
  }

  @Test
  void aNegativeOrNonFiniteGuidanceIsRefusedBeforeAnyCall() {
    for (String w : new String[] {"-0.5", "NaN", "Infinity"}) {
      CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
          "--class", "1", "--guidance", w, "--target", "localhost:1");
      assertEquals(2, run.exitCode(), w);
      assertTrue(run.err().startsWith("--guidance must be finite and ≥ 0, got "), run.err());
    }
  }

  @Test
  void aGuidanceIntervalGoesOutAsItsTwoTimestepsAndNeedsGuidanceAndTwoOfThem() throws Exception {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--class", "2", "--n", "3", "--guidance", "1",
        "--guidance-interval", "0,499", "--out", dir.resolve("s").toString(), "--target", labellingSampler());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(0, requests.get(0).getGuidanceInterval().getMinTimestep());
    assertEquals(499, requests.get(0).getGuidanceInterval().getMaxTimestep());

    CommandRun unguided = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--class", "1", "--guidance-interval", "0,499", "--target", "localhost:1");
    assertEquals(2, unguided.exitCode());
    assertTrue(unguided.err().startsWith("--guidance-interval limits where guidance applies"), unguided.err());
    CommandRun three = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--class", "1", "--guidance", "1", "--guidance-interval", "0,4,9", "--target", "localhost:1");
    assertEquals(2, three.exitCode());
    assertTrue(three.err().startsWith("--guidance-interval takes two timesteps"), three.err());
  }

  @Test
  void guidanceWithoutClassesAndNumClassesWithoutPerClassAreUsageErrors() {
    CommandRun guidance = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--guidance", "1", "--target", "localhost:1");
    assertEquals(2, guidance.exitCode());
    assertTrue(guidance.err().startsWith("--guidance 1.0 needs the classes to guide towards"), guidance.err());
    CommandRun numClasses = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--class", "1", "--num-classes", "10", "--target", "localhost:1");
    assertEquals(2, numClasses.exitCode());
    assertTrue(numClasses.err().startsWith("--num-classes goes with --per-class only"), numClasses.err());
  }

  @Test
  void classesThatDisagreeWithNAreRefusedBeforeAnyCall() {
    // Nothing listens at the target: had the command called it first, it would fail UNAVAILABLE instead.
    CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--classes", "1,2,3", "--n", "4", "--target", "localhost:1");
    assertEquals(1, run.exitCode());
    assertEquals("ddpm sample: --classes gives 3 classes for --n 4: give one class for every image or exactly 4",
        run.err().strip());
  }

  @Test
  void perClassAgainstASamplerNeedsNumClasses() {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--per-class", "8", "--target", "localhost:1");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--per-class with --target needs --num-classes C"), run.err());
  }

  /** A sampler that records each request and answers as the class's javadoc says; its address. */
  private String labellingSampler() throws Exception {
    return sampler((request, response) -> {
      requests.add(request);
      List<Integer> labels = request.getClassLabelsCount() == 1
          ? Collections.nCopies(request.getNumImages(), request.getClassLabels(0)) : request.getClassLabelsList();
      answer(response, result(request, labels));
    });
  }

  /** A sampler on loopback whose Sample does {@code sample}; its address. */
  private String sampler(BiConsumer<SampleRequest, StreamObserver<SampleResponse>> sample) throws Exception {
    return grpc.register(ServerRunner.start("sampler", Endpoint.loopback(),
        List.of(new SamplerServiceGrpc.SamplerServiceImplBase() {
          @Override
          public void sample(SampleRequest request, StreamObserver<SampleResponse> response) {
            sample.accept(request, response);
          }
        }))).address();
  }

  private static void answer(StreamObserver<SampleResponse> response, SampleResult result) {
    response.onNext(SampleResponse.newBuilder().setResult(result).build());
    response.onCompleted();
  }

  private static SampleResult result(SampleRequest request, List<Integer> labels) {
    int n = request.getNumImages();
    byte[] pixels = new byte[n * 16];
    for (int i = 0; i < n; i++) {
      Arrays.fill(pixels, i * 16, (i + 1) * 16, (byte) (labels.isEmpty() ? 0 : 10 * labels.get(i) + 5));
    }
    SampleResult.Builder result = SampleResult.newBuilder().setImages(TensorCodec.uint8(pixels, n, 4, 4, 1))
        .setModel(request.getModel()).setVersion(1).setSteps(1).addAllClassLabels(labels);
    if (request.getIncludePng()) {
      result.setPng(ByteString.copyFrom(ImageGrid.png(pixels, n, 4, 4, 1)));
    }
    return result.build();
  }

  private static long[] int64s(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    return IntStream.range(0, data.length / Long.BYTES).mapToLong(i -> buffer.getLong()).toArray();
  }
}
