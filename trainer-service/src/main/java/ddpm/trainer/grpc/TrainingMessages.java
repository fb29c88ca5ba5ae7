package ddpm.trainer.grpc;

import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import ddpm.api.v1.CheckpointEvent;
import ddpm.api.v1.ExportEvent;
import ddpm.api.v1.JobState;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.StepEvent;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.SpecJson;
import ddpm.trainer.core.StepReport;
import ddpm.trainer.core.TrainingSpec;
import ddpm.trainer.jobs.JobEvent;
import ddpm.trainer.jobs.JobStatus;

/**
 * Conversions between the trainer's messages and its core types. A request and a {@link TrainingSpec} meet in
 * the request's JSON (protobuf's JsonFormat, proto field names), which {@link SpecJson} maps to the record and
 * back by the same names, so no field is listed here.
 */
final class TrainingMessages {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private TrainingMessages() {}

  /** A validated spec; IllegalArgumentException naming the field otherwise. */
  static TrainingSpec toSpec(StartTrainingRequest r) {
    try {
      return SpecJson.fromRequest(JsonParser.parseString(PRINTER.print(r)).getAsJsonObject());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a request without Any fields always prints", e);
    }
  }

  /** The request as the job runs it, defaults filled in. */
  static StartTrainingRequest toRequest(TrainingSpec s) {
    StartTrainingRequest.Builder request = StartTrainingRequest.newBuilder();
    try {
      PARSER.merge(SpecJson.request(s).toString(), request);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("TrainingSpec has a field StartTrainingRequest lacks: " + e.getMessage(), e);
    }
    return request.build();
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
