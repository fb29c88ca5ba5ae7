package ddpm.cli;

import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.CheckpointEvent;
import ddpm.api.v1.JobState;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.StepEvent;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import ddpm.diffusion.training.LossWeighting;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.trainer.core.TrainingSpec;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an eps-network with Algorithm 1 and publish it as the model's next version.")
final class TrainCommand implements Callable<Integer> {
  /** How long an interrupted command waits for its job to stop. */
  private static final int STOP_WAIT_SECONDS = 60;
  private static final String ARCHITECTURES = "architectures";

  /** The request, built by the options below: each sets its field, and defaults go to the trainer as 0. */
  private final StartTrainingRequest.Builder request = StartTrainingRequest.newBuilder();

  @Option(names = "--dataset", defaultValue = "digits", completionCandidates = DatasetChoices.class,
      description = "${COMPLETION-CANDIDATES}: a data set under --data, or a folder of same-size PNG images"
          + " under --data, its path relative to it (default: ${DEFAULT-VALUE}).")
  void dataset(String name) {
    request.setDataset(name);
  }

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name to publish under.")
  void model(String name) {
    request.setModelName(name);
  }

  @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  void steps(int steps) {
    request.setSteps(steps);
  }

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
  void batchSize(int batchSize) {
    request.setBatchSize(batchSize);
  }

  @Option(names = "--lr", defaultValue = "2e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  void learningRate(double rate) {
    request.setLearningRate(rate);
  }

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  void seed(long seed) {
    request.setSeed(seed);
  }

  @Option(names = "--schedule", defaultValue = "linear", completionCandidates = ScheduleChoices.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  void schedule(String kind) {
    request.setSchedule(kind);
  }

  @Option(names = "--timesteps", description = "T (default: " + TrainingSpec.DEFAULT_TIMESTEPS + ").")
  void timesteps(int timesteps) {
    request.setTimesteps(timesteps);
  }

  @Option(names = "--arch", completionCandidates = ArchitectureChoices.class,
      description = "Network: ${COMPLETION-CANDIDATES}; Architectures below describes each and marks the default.")
  void architecture(String name) {
    request.getNetworkBuilder().setArchitecture(name);
  }

  @Option(names = "--channels", description = "Base channels C (default: " + EpsNetConfig.DEFAULT_BASE_CHANNELS + ").")
  void channels(int channels) {
    request.getNetworkBuilder().setBaseChannels(channels);
  }

  @Option(names = "--channel-mult", split = ",", paramLabel = "M,M,...",
      description = "Levels: channels per level as multiples of C, the image halved between levels (default: 1,2,2).")
  void channelMult(List<Integer> mult) {
    request.getNetworkBuilder().clearChannelMult().addAllChannelMult(mult);
  }

  @Option(names = "--res-blocks",
      description = "Levels: residual blocks per level, 1..4 (default: " + EpsNetConfig.DEFAULT_RES_BLOCKS + ").")
  void resBlocks(int blocks) {
    request.getNetworkBuilder().setNumResBlocks(blocks);
  }

  @Option(names = "--attention", split = ",", paramLabel = "SIZE,...",
      description = "Levels: image sizes (pixels across) that get self-attention (default: the lowest level).")
  void attention(List<Integer> sizes) {
    request.getNetworkBuilder().clearAttentionResolutions().addAllAttentionResolutions(sizes);
  }

  @Option(names = "--dropout",
      description = "Dropout in the residual blocks while training, [0, 1); 0 turns it off (default: the architecture's).")
  void dropout(double rate) {
    request.getNetworkBuilder().setDropout(rate);
  }

  @Option(names = "--ema", description = "Decay of the weights' moving average that is published, (0, 1) (default: "
      + TrainingSpec.DEFAULT_EMA_DECAY + ").")
  void emaDecay(double decay) {
    request.setEmaDecay(decay);
  }

  @Option(names = "--warmup", description = "Steps of linear learning-rate warm-up (default: none).")
  void warmupSteps(int steps) {
    request.setWarmupSteps(steps);
  }

  @Option(names = "--clip", description = "Clip gradients to this global L2 norm (default: "
      + TrainingSpec.DEFAULT_GRAD_CLIP_NORM + ").")
  void gradClipNorm(double norm) {
    request.setGradClipNorm(norm);
  }

  @Option(names = "--resume",
      description = "Continue the model's latest checkpoint up to --steps steps in all; give the same other options.")
  void resume(boolean resume) {
    request.setResume(resume);
  }

  @Option(names = "--init-from", paramLabel = "NAME[:VERSION]",
      description = "Start from the weights of a published version (same network) instead of random ones;"
          + " no version: the highest.")
  void initFrom(String text) {
    try {
      ModelRef start = ModelRef.parse(text, "--init-from");
      request.setInitFromModel(start.name()).setInitFromVersion(start.version());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Option(names = "--class-cond",
      description = "Train a class-conditional network for classifier-free guidance; the data set must have labels.")
  void classCond(boolean classCond) {
    request.setClassCond(classCond);
  }

  @Option(names = "--label-dropout", paramLabel = "P",
      description = "With --class-cond: the probability that a label is replaced by the null label while training,"
          + " [0, 1) (default: " + TrainingSpec.DEFAULT_LABEL_DROPOUT + ").")
  void labelDropout(double p) {
    request.setLabelDropout(p);
  }

  @Option(names = "--p2-gamma", paramLabel = "G",
      description = "Weight each timestep's loss by (k + SNR(t))^-G (P2 weighting, Choi et al. 2022), moving weight to"
          + " the noisy timesteps where content is decided; >= 0 (default: 0, L_simple).")
  void p2Gamma(double gamma) {
    request.setP2Gamma(gamma);
  }

  @Option(names = "--p2-k", paramLabel = "K",
      description = "With --p2-gamma: P2's k, > 0 (default: " + LossWeighting.DEFAULT_K + ").")
  void p2K(double k) {
    request.setP2K(k);
  }

  @Option(names = "--checkpoint-every",
      description = "Checkpoint every N steps (default: only at the end).")
  void checkpointEvery(int steps) {
    request.setCheckpointEvery(steps);
  }

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running trainer service.")
  String target;

  @Option(names = DeviceOptions.PRECISION_FLAG, defaultValue = "auto", paramLabel = "fp32|bf16|auto",
      description = "The embedded trainer's arithmetic for the step's convolutions and matrix products (a --target"
          + " trains in its own). auto (default): bf16 on a CPU with AMX (amx_bf16), where a step ran 1.3x as"
          + " fast, else fp32; bf16: also on a CPU with avx512_bf16 alone, and fail at start on one with neither."
          + " Weights, Adam and the moving average stay float32; model.json records it.")
  String precision;

  @Mixin SuiteOptions suite;

  @Mixin TargetSecurityOptions security;

  CommandSpec spec;

  /** The help ends with the trainer's table of architectures. */
  @Spec
  void setSpec(CommandSpec spec) {
    this.spec = spec;
    UsageMessageSpec usage = spec.usageMessage();
    List<String> sections = new ArrayList<>(usage.sectionKeys());
    sections.add(sections.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), ARCHITECTURES);
    usage.sectionKeys(sections);
    usage.sectionMap().put(ARCHITECTURES, TrainCommand::architectures);
  }

  private static String architectures(Help help) {
    int nameWidth = 8;
    Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
        new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN),
        new Help.Column(help.commandSpec().usageMessage().width() - nameWidth, 1, Help.Column.Overflow.WRAP));
    for (Architecture a : Architecture.values()) {
      String dropout = a.defaultDropout() == 0 ? "no dropout" : "dropout " + a.defaultDropout();
      table.addRowValues(a.wireName(), a.description() + "; " + dropout + " by default"
          + (a.hasLevels() ? "; takes --channel-mult, --res-blocks and --attention." : ".")
          + (a == Architecture.DEFAULT ? " The default." : ""));
    }
    return String.format("%nArchitectures (--arch):%n") + table;
  }

  /** The request the options describe. */
  StartTrainingRequest request() {
    return request.build();
  }

  @Override
  public Integer call() throws Exception {
    try (ServiceConnection connection =
        ServiceConnection.open(ServeCommand.Service.trainer, target, security, suite,
            PrecisionChoice.parse(precision, DeviceOptions.PRECISION_FLAG))) {
      TrainerServiceGrpc.TrainerServiceBlockingStub trainer =
          TrainerServiceGrpc.newBlockingStub(connection.channel());
      String jobId = trainer.startTraining(request()).getJobId();
      spec.commandLine().getOut().println("job " + jobId);
      // Interrupting the command (Ctrl-C, SIGTERM) cancels the job rather than leaving it running unwatched.
      Thread cancelOnExit = new Thread(() -> cancelAndAwait(trainer, jobId));
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

  /**
   * Cancels the job and waits until it has stopped, for at most {@link #STOP_WAIT_SECONDS}. Without the wait the
   * JVM would exit while an embedded trainer's thread was still inside a TensorFlow step, which crashes the process
   * (SIGSEGV in native code) instead of ending it; the trainer stops before its next step, so the wait is about
   * one step, or one checkpoint being written.
   */
  private static void cancelAndAwait(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String jobId) {
    trainer.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build());
    Iterator<TrainingEvent> events = trainer.withDeadlineAfter(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
        .watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
    try {
      while (events.hasNext()) {
        TrainingEvent event = events.next();
        if (event.hasFinished()) {
          System.err.printf("%njob %s %s at step %d%n", jobId, event.getFinished().getState(),
              event.getFinished().getStep());
          return;
        }
      }
    } catch (StatusRuntimeException e) {
      System.err.println("training job " + jobId + " did not confirm it stopped: " + e.getStatus());
    }
  }

  private String inWorkFolder(String path) {
    return located(path, suite.work, "work folder");
  }

  /**
   * A path the trainer reports relative to one of its folders, as the user finds it: in this machine's folder when
   * the trainer is embedded, else named as on the trainer's machine, whose folders this command cannot know.
   */
  private String located(String relative, Path embeddedFolder, String trainersFolder) {
    return target == null ? embeddedFolder.resolve(relative).toString()
        : relative + " (in the trainer's " + trainersFolder + ")";
  }

  private TrainingJob watch(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String jobId) {
    Iterator<TrainingEvent> events = trainer.watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
    // Made at the first step, which tells where a resumed job starts.
    ProgressBar bar = null;
    try {
      while (events.hasNext()) {
        TrainingEvent event = events.next();
        switch (event.getEventCase()) {
          case STEP -> {
            StepEvent step = event.getStep();
            if (bar == null) {
              bar = Progress.resumedBar("training", step.getStep() - 1, step.getTotalSteps(), spec.commandLine().getErr());
            }
            bar.stepTo(step.getStep());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, lr %.2e, %.2f steps/s, %.0f img/s",
                step.getLoss(), step.getLearningRate(), step.getStepsPerSecond(), step.getImagesPerSecond()));
          }
          case CHECKPOINT -> {
            CheckpointEvent checkpoint = event.getCheckpoint();
            spec.commandLine().getOut().printf("%ncheckpoint %d: %s%n  loss curve  %s%n  samples     %s%n",
                checkpoint.getStep(), inWorkFolder(checkpoint.getPath()), inWorkFolder(checkpoint.getLossCurve()),
                inWorkFolder(checkpoint.getSampleGrid()));
          }
          case EXPORT -> spec.commandLine().getOut().printf("%npublished %s version %d at %s%n",
              event.getExport().getModel(), event.getExport().getVersion(),
              located(event.getExport().getPath(), suite.modelRepository(), "model repository"));
          case FINISHED -> {
            return event.getFinished();
          }
          default -> { }
        }
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    throw new IllegalStateException("the trainer ended the stream of job " + jobId + " without a final event");
  }
}
