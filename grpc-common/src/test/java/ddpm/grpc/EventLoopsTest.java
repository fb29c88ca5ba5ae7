package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
  @Test
  void theLoopsStopWhenTheLastServerOrChannelOnThemCloses() throws Exception {
    assertFalse(EventLoops.running(), "a test before this one left a server or channel open");
    ManagedChannel channel;
    List<Thread> loopThreads;
    try (ServerRunner runner = ServerRunner.start("test", Endpoint.loopback().withHealthPort(0), List.of())) {
      channel = Channels.plaintext(runner.address());
      assertEquals(ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
      loopThreads = loopThreads();
      assertTrue(loopThreads.stream().anyMatch(t -> t.getName().startsWith("grpc-boss")), names(loopThreads));
      assertTrue(loopThreads.stream().anyMatch(t -> t.getName().startsWith("grpc-worker")), names(loopThreads));

      Channels.close(channel);
      assertTrue(EventLoops.running(), "the server still runs on them");
    }
    assertFalse(EventLoops.running());
    for (Thread thread : loopThreads) {
      thread.join(10_000);
      assertFalse(thread.isAlive(), thread.getName() + " still runs");
    }
  }

  @Test
  void aChannelClosedTwiceGivesBackItsLoopsOnce() throws Exception {
    assertFalse(EventLoops.running(), "a test before this one left a server or channel open");
    ManagedChannel first = Channels.plaintext("127.0.0.1:1");
    ManagedChannel second = Channels.plaintext("127.0.0.1:1");
    Channels.close(first);
    Channels.close(first);
    assertTrue(EventLoops.running(), "the second channel still holds them");
    Channels.close(second);
    assertFalse(EventLoops.running());
  }

  @Test
  void aServerThatFailsToStartGivesBackItsLoops() throws Exception {
    assertFalse(EventLoops.running(), "a test before this one left a server or channel open");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The gRPC port binds, then the health port cannot: both servers were built, and one had started.
      IOException failure = assertThrows(IOException.class,
          () -> ServerRunner.start("test", Endpoint.loopback().withHealthPort(taken.getLocalPort()), List.of()));
      assertTrue(failure.getMessage().contains("health port " + taken.getLocalPort()), failure.getMessage());
    }
    assertFalse(EventLoops.running());
  }

  private static List<Thread> loopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("grpc-boss") || t.getName().startsWith("grpc-worker")).toList();
  }

  private static String names(List<Thread> threads) {
    return threads.stream().map(Thread::getName).toList().toString();
  }
}
