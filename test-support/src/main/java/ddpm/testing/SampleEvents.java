package ddpm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.grpc.TensorCodec;
import java.util.Iterator;

/** What a Sample stream ends with. */
public final class SampleEvents {
  private SampleEvents() {}

  /** The images of the result that ends {@code events}, read to the end. */
  public static byte[] images(Iterator<SampleResponse> events) {
    return images(result(events));
  }

  public static byte[] images(SampleResult result) {
    return TensorCodec.toBytes(result.getImages(), "images");
  }

  /** The result that ends {@code events}, read to the end. */
  public static SampleResult result(Iterator<SampleResponse> events) {
    SampleResponse last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    assertTrue(last != null && last.hasResult(), "the stream did not end with a result");
    return last.getResult();
  }
}
