package ddpm.grpc.failover;

import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.grpc.util.ForwardingLoadBalancerHelper;
import java.util.Map;

/**
 * gRPC's round_robin, with one change to its picks: a {@link Failover} attempt is not sent to a replica that
 * has already refused that call, while another ready one has not. round_robin's next pick is shared by every
 * call on the channel, so under load a retry would land on the replica that refused it about once in N
 * replicas; stepping over it makes "retried on another replica" hold for every retry. When every ready
 * replica has refused, the attempt is dropped unsent and the {@link Failover} waits before it tries them all
 * again. Calls outside a Failover are picked exactly as round_robin picks them.
 */
public final class FailoverLoadBalancer extends LoadBalancer {
  /** The name in a service config's loadBalancingConfig. */
  public static final String POLICY = "ddpm_failover_round_robin";
  private static final String ROUND_ROBIN = "round_robin";
  /**
   * Picks tried before concluding that every ready replica has refused. round_robin hands out its ready
   * replicas in turn, so N picks see all N unless other calls pick in between; this many leaves room for that.
   */
  static final int MAX_PICKS = 64;

  private final LoadBalancer roundRobin;

  private FailoverLoadBalancer(Helper helper) {
    this.roundRobin = roundRobinProvider().newLoadBalancer(new ForwardingLoadBalancerHelper() {
      @Override
      protected Helper delegate() {
        return helper;
      }

      @Override
      public void updateBalancingState(ConnectivityState state, SubchannelPicker picker) {
        helper.updateBalancingState(state, new AvoidingPicker(picker));
      }
    });
  }

  /** Makes {@link #POLICY} known to every channel of this process; registering again changes nothing. */
  public static synchronized void register() {
    LoadBalancerRegistry registry = LoadBalancerRegistry.getDefaultRegistry();
    if (registry.getProvider(POLICY) == null) {
      registry.register(new Provider());
    }
  }

  private static LoadBalancerProvider roundRobinProvider() {
    LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider(ROUND_ROBIN);
    if (provider == null) {
      throw new IllegalStateException("gRPC's " + ROUND_ROBIN + " policy is not on the class path (grpc-util)");
    }
    return provider;
  }

  @Override
  public Status acceptResolvedAddresses(ResolvedAddresses addresses) {
    return roundRobin.acceptResolvedAddresses(addresses);
  }

  @Override
  public void handleNameResolutionError(Status error) {
    roundRobin.handleNameResolutionError(error);
  }

  @Override
  public boolean canHandleEmptyAddressListFromNameResolution() {
    return roundRobin.canHandleEmptyAddressListFromNameResolution();
  }

  @Override
  public void requestConnection() {
    roundRobin.requestConnection();
  }

  @Override
  public void shutdown() {
    roundRobin.shutdown();
  }

  /** round_robin's picker, stepping a Failover attempt over the replicas that refused its call. */
  private static final class AvoidingPicker extends SubchannelPicker {
    private static final Status NO_REPLICA_LEFT = Status.UNAVAILABLE.withDescription("every ready replica refused");

    private final SubchannelPicker roundRobin;

    AvoidingPicker(SubchannelPicker roundRobin) {
      this.roundRobin = roundRobin;
    }

    @Override
    public PickResult pickSubchannel(PickSubchannelArgs args) {
      PickResult pick = roundRobin.pickSubchannel(args);
      Attempt attempt = args.getCallOptions().getOption(Attempt.KEY);
      if (attempt == null) {
        return pick;
      }
      for (int picks = 1; pick.getSubchannel() != null && attempt.refusedBy(pick.getSubchannel()); picks++) {
        if (picks == MAX_PICKS) {
          attempt.noReplicaLeft();
          return PickResult.withDrop(NO_REPLICA_LEFT);
        }
        pick = roundRobin.pickSubchannel(args);
      }
      attempt.picked(pick.getSubchannel());
      return pick;
    }
  }

  private static final class Provider extends LoadBalancerProvider {
    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public int getPriority() {
      return 5;
    }

    @Override
    public String getPolicyName() {
      return POLICY;
    }

    @Override
    public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> config) {
      return roundRobinProvider().parseLoadBalancingPolicyConfig(config);
    }

    @Override
    public LoadBalancer newLoadBalancer(Helper helper) {
      return new FailoverLoadBalancer(helper);
    }
  }
}
