package ddpm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleResponse;
import ddpm.grpc.TensorCodec;
import java.util.Iterator;

/** What a Sample stream ends with. */
public final class SampleEvents {
  private SampleEvents() {}

  /** The images of the result that ends {@code events}, read to the end. */
  public static byte[] images(Iterator<SampleResponse> events) {
    SampleResponse last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    assertTrue(last != null && last.hasResult(), "the stream did not end with a result");
    return TensorCodec.toBytes(last.getResult().getImages(), "images");
  }
}
