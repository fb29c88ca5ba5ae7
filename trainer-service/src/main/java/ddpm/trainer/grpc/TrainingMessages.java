package ddpm.trainer.grpc;

import ddpm.api.v1.CheckpointEvent;
import ddpm.api.v1.ExportEvent;
import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.StepEvent;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;
import ddpm.trainer.core.TrainingSpec;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import ddpm.trainer.jobs.JobEvent;
import ddpm.trainer.jobs.JobStatus;

/** Conversions between the trainer's messages and its core types. */
final class TrainingMessages {
  private TrainingMessages() {}

  /** A validated spec; IllegalArgumentException naming the field otherwise. */
  static TrainingSpec toSpec(StartTrainingRequest r) {
    NetworkConfig n = r.getNetwork();
    EpsNetConfig network = new EpsNetConfig(Architecture.parse(n.getArchitecture(), "network.architecture"),
        n.getBaseChannels(), n.getChannelMultList(), n.getNumResBlocks(), n.getAttentionResolutionsList(),
        n.hasDropout() ? n.getDropout() : null);
    return new TrainingSpec(r.getDataset(), r.getModelName(), network, r.getSteps(), r.getBatchSize(),
        r.getLearningRate(), r.getSeed(), ScheduleKind.parse(r.getSchedule(), "schedule"), r.getTimesteps(),
        r.getCheckpointEvery(), r.getEmaDecay(), r.getWarmupSteps(), r.getGradClipNorm(), r.getResume(),
        r.getInitFromModel(), r.getInitFromVersion());
  }

  /** The request as the job runs it, defaults filled in. */
  static StartTrainingRequest toRequest(TrainingSpec s) {
    NetworkConfig.Builder network = NetworkConfig.newBuilder()
        .setArchitecture(s.network().architecture().wireName())
        .setBaseChannels(s.network().baseChannels())
        .setDropout(s.network().dropout());
    if (s.network().architecture().hasLevels()) {
      network.addAllChannelMult(s.network().channelMult())
          .setNumResBlocks(s.network().numResBlocks())
          .addAllAttentionResolutions(s.network().attentionResolutions());
    }
    return StartTrainingRequest.newBuilder()
        .setDataset(s.dataset())
        .setModelName(s.modelName())
        .setNetwork(network)
        .setSteps(s.steps())
        .setBatchSize(s.batchSize())
        .setLearningRate(s.learningRate())
        .setSeed(s.seed())
        .setSchedule(s.schedule().wireName())
        .setTimesteps(s.timesteps())
        .setCheckpointEvery(s.checkpointEvery())
        .setEmaDecay(s.emaDecay())
        .setWarmupSteps(s.warmupSteps())
        .setGradClipNorm(s.gradClipNorm())
        .setResume(s.resume())
        .setInitFromModel(s.initFromModel())
        .setInitFromVersion(s.initFromVersion())
        .build();
  }

  static TrainingJob toJob(JobStatus s) {
    return TrainingJob.newBuilder()
        .setJobId(s.id())
        .setState(JobState.valueOf(s.state().name()))
        .setStep(s.step())
        .setTotalSteps(s.totalSteps())
        .setLoss(s.loss())
        .setRequest(toRequest(s.spec()))
        .setExportedVersion(s.exportedVersion())
        .setError(s.error())
        .build();
  }

  static TrainingEvent toEvent(JobEvent event) {
    TrainingEvent.Builder b = TrainingEvent.newBuilder();
    if (event instanceof JobEvent.Step step) {
      StepReport s = step.report();
      b.setStep(StepEvent.newBuilder().setStep(s.step()).setTotalSteps(s.totalSteps()).setLoss(s.loss())
          .setImagesPerSecond(s.imagesPerSecond()).setStepsPerSecond(s.stepsPerSecond())
          .setLearningRate(s.learningRate()));
    } else if (event instanceof JobEvent.Checkpoint checkpoint) {
      CheckpointReport c = checkpoint.report();
      b.setCheckpoint(CheckpointEvent.newBuilder().setStep(c.step()).setPath(c.path().toString())
          .setLossCurve(c.lossCurve().toString()).setSampleGrid(c.sampleGrid().toString()));
    } else if (event instanceof JobEvent.Export e) {
      b.setExport(ExportEvent.newBuilder().setModel(e.model()).setVersion(e.version()).setPath(e.path()));
    } else if (event instanceof JobEvent.Finished f) {
      b.setFinished(toJob(f.status()));
    }
    return b.build();
  }
}
