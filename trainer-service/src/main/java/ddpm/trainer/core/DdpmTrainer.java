package ddpm.trainer.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import ddpm.datasets.DatasetSource;
import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.repository.Folders;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.trainer.checkpoint.Checkpoint;
import ddpm.trainer.checkpoint.CheckpointStore;
import ddpm.trainer.checkpoint.LossHistory;
import ddpm.trainer.data.Dataset;
import ddpm.trainer.export.SavedModelExporter;
import ddpm.trainer.export.SavedModelExporter.Published;
import ddpm.trainer.export.TrainingCards;
import ddpm.trainer.graph.EpsNetConfig;
import ddpm.trainer.graph.TrainingSession;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains ε_θ on a data set with the scheduler's coefficients, checkpoints under the model's work folder
 * ({@link CheckpointStore}), and publishes the moving-average weights as the next version of the model.
 * A fresh run sets the model's earlier checkpoints aside and starts from random weights or from a published
 * version's; a resumed one restores the latest checkpoint's variables and loss history and continues at the
 * step after it, drawing what an uninterrupted run would.
 */
public final class DdpmTrainer implements Trainer {
  private static final String NUM_CLASSES = "num_classes";
  private final Datasets datasets;
  private final ScheduleSource schedules;
  private final ModelRepository repository;
  private final SavedModelExporter exporter;
  private final CheckpointStore checkpoints;
  private final TrainingSession.Factory sessions;
  private final MemoryBudget memoryBudget;

  /**
   * {@code sessions} opens the network each job trains: TrainingGraph's, in the service; a job whose estimated
   * memory is above {@code memoryBudget} is refused when it is prepared.
   */
  public DdpmTrainer(Datasets datasets, ScheduleSource schedules, ModelRepository repository,
      CheckpointStore checkpoints, TrainingSession.Factory sessions, MemoryBudget memoryBudget) {
    this.datasets = datasets;
    this.schedules = schedules;
    this.repository = repository;
    this.exporter = new SavedModelExporter(repository);
    this.checkpoints = checkpoints;
    this.sessions = sessions;
    this.memoryBudget = memoryBudget;
  }

  @Override
  public TrainingSpec prepare(TrainingSpec spec) {
    DatasetSource source = datasets.source(spec.dataset());
    ImageShape shape = source.inspect(Split.TRAIN);
    TrainingSpec resolved = spec.withNetwork(withClasses(spec, source).forImage(shape));
    memoryBudget.check(resolved, shape);
    if (resolved.startsFromPublished()) {
      resolved = checkStartingVersion(resolved, shape);
    }
    if (resolved.resume()) {
      resumePoint(resolved);
    }
    return resolved;
  }

  @Override
  public void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled)
      throws Exception {
    Dataset data = Dataset.of(datasets.source(spec.dataset()).load(Split.TRAIN), spec.classCond());
    NoiseSchedule schedule = fullSchedule(spec);
    Checkpoint from = spec.resume() ? resumePoint(spec) : null;
    if (from == null) {
      checkpoints.setAside(spec.modelName());
    }
    TrainingSession.Optimization optimization =
        new TrainingSession.Optimization(spec.lossWeighting(), spec.gradClipNorm(), spec.emaDecay());
    try (TrainingSession session = sessions.open(data.shape(), spec.network(), schedule, optimization, spec.seed())) {
      LossHistory history = new LossHistory();
      int done = 0;
      if (from != null) {
        session.restoreVariables(from.variables());
        history = from.losses();
        done = from.step();
        listener.onResume(done, history.last());
      } else if (spec.startsFromPublished()) {
        session.startFrom(repository.versionDir(spec.initFromModel(), spec.initFromVersion()));
      }
      BatchSampler batches = spec.classCond()
          ? BatchSampler.classConditional(data, spec.timesteps(), spec.seed(), spec.network().nullLabel(),
              spec.labelDropout())
          : new BatchSampler(data, spec.timesteps(), spec.seed());
      TrainLoop loop = new TrainLoop(spec, session, batches, history,
          new Checkpointer(checkpoints, spec, session, schedule, history, cancelled), listener, cancelled);
      TrainLoop.Outcome outcome = loop.run(done);
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("cancelled before export");
      }
      Published published = exporter.publish(session,
          TrainingCards.of(spec, data.shape(), session.precision(), outcome.finalLoss(), outcome.wallSeconds(),
              done));
      listener.onExport(published.model(), published.version(), repository.root().relativize(published.path()));
    }
  }

  /**
   * The request's network, given the data set's classes when the run is class-conditional. A request that names
   * num_classes itself must name the data set's count.
   */
  private static EpsNetConfig withClasses(TrainingSpec spec, DatasetSource source) {
    if (!spec.classCond()) {
      return spec.network();
    }
    if (!source.hasLabels()) {
      throw new IllegalArgumentException("class_cond: data set " + source.name() + " has no labels (a folder"
          + " needs one subfolder of images per class)");
    }
    int classes = source.classNames().size();
    Integer asked = spec.network().numClasses();
    if (asked != null && asked != classes) {
      throw new IllegalArgumentException("network.num_classes: the trainer sets it from the data set, whose "
          + classes + " classes it must equal; leave it unset. Got " + asked);
    }
    return spec.network().withClasses(classes);
  }

  /**
   * The job's schedule. The scheduler's refusal (a gRPC status, to this core any RuntimeException) fails the job
   * as an IllegalStateException, whose message the job's clients are shown.
   */
  private NoiseSchedule fullSchedule(TrainingSpec spec) {
    try {
      return schedules.fullSchedule(spec.schedule(), spec.timesteps());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("schedule: the scheduler gave no schedule: " + e.getMessage(), e);
    }
  }

  /**
   * The request with init_from_version resolved, once the version is known to hold the request's network
   * for the data set's images (dropout aside, which shapes no weight).
   */
  private TrainingSpec checkStartingVersion(TrainingSpec spec, ImageShape shape) {
    long version = repository.resolve(spec.initFromModel(), spec.initFromVersion(), "init_from_model",
        "init_from_version");
    String ref = spec.initFromModel() + ":" + version;
    ModelCard card;
    try {
      card = repository.card(spec.initFromModel(), version);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("init_from_model: cannot read the model card of " + ref + ": "
          + Folders.problem(e), e);
    }
    List<Integer> imageShape = List.of(shape.height(), shape.width(), shape.channels());
    if (!card.imageShape().equals(imageShape)) {
      throw new IllegalStateException("init_from_model: " + ref + " is for images " + card.imageShape()
          + ", the data set's are " + imageShape);
    }
    JsonElement network = card.details().get("network");
    if (network == null || !network.isJsonObject()) {
      throw new IllegalStateException("init_from_model: the model card of " + ref + " records no network");
    }
    JsonObject stored = network.getAsJsonObject();
    // A class-conditional network may start from an unconditional one: the class rows start at zero.
    Set<String> ignored = stored.has(NUM_CLASSES) ? Set.of("dropout") : Set.of("dropout", NUM_CLASSES);
    List<String> differences = SpecJson.differences(stored, ref, SpecJson.network(spec.network()), ignored);
    if (!differences.isEmpty()) {
      throw new IllegalStateException("init_from_model: " + ref + " holds another network: "
          + String.join("; ", differences));
    }
    return spec.withInitFromVersion(version);
  }

  /**
   * The checkpoint a resumed run continues: the model's latest, whose configuration must equal the
   * request's in everything but the total number of steps, which must not be below the checkpoint's.
   */
  private Checkpoint resumePoint(TrainingSpec spec) {
    try {
      Checkpoint latest = checkpoints.latest(spec.modelName()).orElseThrow(() -> new IllegalStateException(
          "resume: model \"" + spec.modelName() + "\" has no checkpoint in the trainer's work folder"));
      List<String> differences = SpecJson.differences(
          latest.run().getAsJsonObject("spec"), "the checkpoint", SpecJson.spec(spec), Set.of("steps"));
      if (!differences.isEmpty()) {
        throw new IllegalStateException("resume: the request contradicts checkpoint "
            + checkpoints.inWorkFolder(latest.dir()) + ": " + String.join("; ", differences));
      }
      if (spec.steps() < latest.step()) {
        throw new IllegalStateException("steps: the checkpoint to resume already has " + latest.step()
            + " steps, more than the " + spec.steps() + " asked for");
      }
      return latest;
    } catch (IOException | JsonParseException e) {
      throw new IllegalStateException("resume: cannot read the checkpoints of \"" + spec.modelName() + "\": "
          + Folders.problem(e), e);
    }
  }
}
