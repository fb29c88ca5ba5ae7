package ddpm.sampler;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Forwards loopback TCP connections to a server until {@link #kill}ed, when it refuses new connections and
 * drops every open one at once: to a client, the server looks like a process that crashed mid-call.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "tcp-proxy");
    thread.setDaemon(true);
    return thread;
  });
  private final List<Socket> sockets = new ArrayList<>();
  private boolean killed;

  TcpProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  String address() {
    return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
  }

  /** Stops listening and closes every forwarded connection. */
  synchronized void kill() {
    killed = true;
    close(listener);
    sockets.forEach(TcpProxy::close);
  }

  @Override
  public void close() {
    kill();
    threads.shutdownNow();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        if (!track(client, server)) {
          return;
        }
        pump(client, server);
        pump(server, client);
      }
    } catch (IOException e) {
      // The listener was closed by kill().
    }
  }

  /** Keeps the pair for kill(); a pair accepted as kill() ran is closed instead. */
  private synchronized boolean track(Socket client, Socket server) throws IOException {
    if (killed) {
      close(client);
      close(server);
      return false;
    }
    // gRPC sends small frames both ways: Nagle's algorithm would hold them back.
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
    sockets.add(client);
    sockets.add(server);
    return true;
  }

  private void pump(Socket from, Socket to) {
    threads.execute(() -> {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException e) {
        // One side went away; closing both passes that on.
      } finally {
        close(from);
        close(to);
      }
    });
  }

  private static void close(AutoCloseable socket) {
    try {
      socket.close();
    } catch (Exception e) {
      // Already closed.
    }
  }
}
