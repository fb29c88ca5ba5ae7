package ddpm.cli;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelRepository;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.trainer.TrainerConfig;
import ddpm.trainer.TrainerServer;
import ddpm.trainer.graph.TrainingSession;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The four services on loopback in this JVM, as a client who may send anything finds them, over a model
 * repository, data root and work folder of their own under one folder (whose path no answer may contain):
 *
 * <ul>
 *   <li>models {@value #POINT} (an exact point-mass denoiser, 4×4×1, T = {@value #T}), {@value #LABELLED} (the
 *       same with the class-label input {@code y}) and {@value #BROKEN} (a model.json without a network, refused);
 *   <li>data sets {@code folder:sprites} (two 4×4 grey PNGs) and {@code folder:empty} besides the shipped digits.
 * </ul>
 *
 * Its trainer trains nothing: a job that passes every check fails as its network is opened, so no request can set
 * this machine training.
 */
final class ExposedSuite implements AutoCloseable {
  static final String POINT = "point";
  static final String LABELLED = "labelled";
  static final String BROKEN = "broken";
  static final int T = 40;
  static final int SIDE = 4;

  private static final TrainingSession.Factory TRAINS_NOTHING = (shape, config, schedule, optimization, seed) -> {
    throw new IllegalStateException("this suite trains nothing");
  };

  private final Path root;
  private final List<ServerRunner> servers = new ArrayList<>();
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

  ExposedSuite(Path root) throws IOException {
    this.root = root;
    Path models = root.resolve("models");
    Path data = root.resolve("data");
    ModelRepository repository = new ModelRepository(models);
    ExactDenoisers.publishPointMass(repository, ExactDenoisers.card(POINT, SIDE, SIDE, 1, T, "linear"),
        new float[SIDE * SIDE]);
    ExactDenoisers.publishLabelledPointMass(repository, ExactDenoisers.card(LABELLED, SIDE, SIDE, 1, T, "linear"),
        new float[SIDE * SIDE]);
    repository.publish(BROKEN, ExactDenoisers.card(BROKEN, SIDE, SIDE, 1, T, "linear")::write);
    Path sprites = Files.createDirectories(data.resolve("sprites"));
    for (String name : List.of("a.png", "b.png")) {
      ImageIO.write(new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY), "png", sprites.resolve(name).toFile());
    }
    Files.createDirectories(data.resolve("empty"));

    Endpoint endpoint = Endpoint.loopback();
    try {
      ServerRunner scheduler = started(SchedulerServer.start(new SchedulerConfig(endpoint)),
          ScheduleServiceGrpc.SERVICE_NAME);
      ServerRunner denoiser = started(DenoiserServer.start(DenoiserConfig.of(endpoint, models)),
          DenoiserServiceGrpc.SERVICE_NAME, ModelControlServiceGrpc.SERVICE_NAME);
      started(SamplerServer.start(SamplerConfig.of(endpoint, denoiser.address(), scheduler.address())),
          SamplerServiceGrpc.SERVICE_NAME);
      started(TrainerServer.start(TrainerConfig.of(endpoint, scheduler.address(), models, data,
          root.resolve("work")), TRAINS_NOTHING), TrainerServiceGrpc.SERVICE_NAME);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private ServerRunner started(ServerRunner server, String... services) {
    servers.add(server);
    ManagedChannel channel = Channels.plaintext(server.address());
    for (String service : services) {
      channels.put(service, channel);
    }
    return server;
  }

  /** The folder everything of the suite's is under: no answer may name it. */
  Path root() {
    return root;
  }

  /** The channel to the server of {@code method}'s service. */
  ManagedChannel channel(MethodDescriptor<?, ?> method) {
    return channels.get(method.getServiceName());
  }

  /** Every RPC of every service, as generated. */
  static List<MethodDescriptor<?, ?>> methods() {
    return List.of(ScheduleServiceGrpc.getGetScheduleMethod(),
        DenoiserServiceGrpc.getPredictNoiseMethod(), DenoiserServiceGrpc.getPredictNoiseStreamMethod(),
        DenoiserServiceGrpc.getGetModelInfoMethod(), DenoiserServiceGrpc.getListModelsMethod(),
        ModelControlServiceGrpc.getLoadModelMethod(), ModelControlServiceGrpc.getUnloadModelMethod(),
        SamplerServiceGrpc.getSampleMethod(),
        TrainerServiceGrpc.getStartTrainingMethod(), TrainerServiceGrpc.getWatchJobMethod(),
        TrainerServiceGrpc.getGetJobMethod(), TrainerServiceGrpc.getCancelJobMethod());
  }

  /** What each server's grpc.health.v1 says of it as a whole, by service it serves. */
  Map<String, ServingStatus> health() {
    Map<String, ServingStatus> health = new LinkedHashMap<>();
    channels.forEach((service, channel) -> health.put(service, HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()));
    return health;
  }

  @Override
  public void close() {
    channels.values().stream().distinct().forEach(Channels::close);
    for (int i = servers.size() - 1; i >= 0; i--) {
      servers.get(i).close();
    }
  }
}
