package ddpm.cli;

import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import java.util.Iterator;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an eps-network with Algorithm 1 and publish it as the model's next version.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--dataset", defaultValue = "digits",
      description = "digits (8x8, shipped) or mnist (28x28, scripts/fetch-mnist.sh); default: ${DEFAULT-VALUE}.")
  String dataset;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name to publish under.")
  String model;

  @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "2e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--schedule", defaultValue = "linear", description = "linear or cosine (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--timesteps", defaultValue = "1000", description = "T (default: ${DEFAULT-VALUE}).")
  int timesteps;

  @Option(names = "--channels", defaultValue = "32", description = "Base channels (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--checkpoint-every", defaultValue = "0",
      description = "Checkpoint every N steps; 0 = only at the end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running trainer service.")
  String target;

  @Mixin SuiteOptions suite;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    StartTrainingRequest request = StartTrainingRequest.newBuilder()
        .setDataset(dataset).setModelName(model)
        .setNetwork(NetworkConfig.newBuilder().setArchitecture("conv").setBaseChannels(channels))
        .setSteps(steps).setBatchSize(batchSize).setLearningRate(learningRate).setSeed(seed)
        .setSchedule(schedule).setTimesteps(timesteps).setCheckpointEvery(checkpointEvery)
        .build();
    try (ServiceConnection connection = ServiceConnection.open(target, suite, EmbeddedSuite::trainerAddress)) {
      TrainerServiceGrpc.TrainerServiceBlockingStub trainer =
          TrainerServiceGrpc.newBlockingStub(connection.channel());
      String jobId = trainer.startTraining(request).getJobId();
      spec.commandLine().getOut().println("job " + jobId);
      // Interrupting the command (Ctrl-C) cancels the job rather than leaving it running unwatched.
      Thread cancelOnExit = new Thread(() -> trainer.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()));
      Runtime.getRuntime().addShutdownHook(cancelOnExit);
      TrainingJob finished = watch(trainer, jobId);
      Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      spec.commandLine().getOut().printf("%s after %d steps, loss %.4f%n", finished.getState(), finished.getStep(), finished.getLoss());
      if (finished.getState() != JobState.SUCCEEDED) {
        spec.commandLine().getErr().println(finished.getError());
        return 1;
      }
      return 0;
    }
  }

  private TrainingJob watch(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String jobId) {
    Iterator<TrainingEvent> events = trainer.watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
    try (ProgressBar bar = Progress.bar("training")) {
      bar.maxHint(steps);
      while (events.hasNext()) {
        TrainingEvent event = events.next();
        switch (event.getEventCase()) {
          case STEP -> {
            bar.stepTo(event.getStep().getStep());
            bar.setExtraMessage(String.format(" loss %.4f, %.0f img/s",
                event.getStep().getLoss(), event.getStep().getImagesPerSecond()));
          }
          case CHECKPOINT -> bar.setExtraMessage(" checkpoint " + event.getCheckpoint().getPath());
          case EXPORT -> spec.commandLine().getOut().printf("%npublished %s version %d at %s%n",
              event.getExport().getModel(), event.getExport().getVersion(), event.getExport().getPath());
          case FINISHED -> {
            return event.getFinished();
          }
          default -> { }
        }
      }
    }
    throw new IllegalStateException("the trainer ended the stream of job " + jobId + " without a final event");
  }
}
