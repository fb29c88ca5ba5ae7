package ddpm.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Netty event loops that the process's gRPC servers and channels run on: one thread accepting connections
 * and Netty's default pool of workers, on epoll where Netty's native transport loads and NIO elsewhere, as
 * gRPC's own defaults.
 *
 * <p>They are shared as gRPC shares its defaults, but stop as soon as the last server or channel on them has
 * ended, where gRPC stops its own a second later. A JVM that exits waits up to 300 ms while any of its threads
 * is in native code, and an idle event loop sits in epoll_wait: with gRPC's loops still up, a one-image
 * {@code ddpm sample} spent a fifth of its time exiting (docs/benchmarks.md, Startup).
 */
final class EventLoops {
  private static EventLoops shared;
  private static int users;

  private final EventLoopGroup boss;
  private final EventLoopGroup worker;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Class<? extends Channel> channelType;

  private EventLoops() {
    // 0: Netty's default, twice the cores, as gRPC's.
    int workers = 0;
    if (Epoll.isAvailable()) {
      boss = new EpollEventLoopGroup(1, threads("grpc-boss"));
      worker = new EpollEventLoopGroup(workers, threads("grpc-worker"));
      serverChannelType = EpollServerSocketChannel.class;
      channelType = EpollSocketChannel.class;
    } else {
      boss = new NioEventLoopGroup(1, threads("grpc-boss"));
      worker = new NioEventLoopGroup(workers, threads("grpc-worker"));
      serverChannelType = NioServerSocketChannel.class;
      channelType = NioSocketChannel.class;
    }
  }

  /** Daemon threads, as gRPC's: a server or channel left open never keeps the JVM from exiting. */
  private static ThreadFactory threads(String name) {
    return new DefaultThreadFactory(name, true);
  }

  /** A hold on the shared loops, starting them if no one holds them; close it once its server or channel has ended. */
  static Lease acquire() {
    synchronized (EventLoops.class) {
      if (shared == null) {
        shared = new EventLoops();
      }
      users++;
      return new Lease(shared);
    }
  }

  /** The last holder gone: stops the loops and waits until their threads have ended. */
  private static void release() {
    EventLoops stopping;
    synchronized (EventLoops.class) {
      if (--users > 0) {
        return;
      }
      stopping = shared;
      shared = null;
    }
    // No quiet period: every server and channel on the loops has ended, so no task is still to come.
    stopping.boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    stopping.worker.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    stopping.boss.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
    stopping.worker.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** Whether anyone holds the loops; false once the last {@link Lease} has closed and they have stopped. */
  static synchronized boolean running() {
    return shared != null;
  }

  /**
   * One server's or channel's hold on the loops. Closing it more than once releases it once; close it from a
   * thread of its own, never from one of the loops'.
   */
  static final class Lease implements AutoCloseable {
    private final EventLoops loops;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(EventLoops loops) {
      this.loops = loops;
    }

    /** {@code builder} set to accept and serve its connections on the shared loops. */
    NettyServerBuilder serve(NettyServerBuilder builder) {
      return builder.bossEventLoopGroup(loops.boss).workerEventLoopGroup(loops.worker)
          .channelType(loops.serverChannelType);
    }

    /** {@code builder} set to run its connections on the shared loops. */
    NettyChannelBuilder connect(NettyChannelBuilder builder) {
      return builder.eventLoopGroup(loops.worker).channelType(loops.channelType);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release();
      }
    }
  }
}
