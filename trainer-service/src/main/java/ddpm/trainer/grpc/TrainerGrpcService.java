package ddpm.trainer.grpc;

import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.StartTrainingResponse;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.Responses;
import ddpm.grpc.StatusMapper;
import ddpm.trainer.jobs.JobEvent;
import ddpm.trainer.jobs.JobManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The TrainerService RPCs over a {@link JobManager}. */
public final class TrainerGrpcService extends TrainerServiceGrpc.TrainerServiceImplBase {
  private final JobManager jobs;

  public TrainerGrpcService(JobManager jobs) {
    this.jobs = jobs;
  }

  @Override
  public void startTraining(StartTrainingRequest request, StreamObserver<StartTrainingResponse> observer) {
    Responses.unary(observer, () -> StartTrainingResponse.newBuilder()
        .setJobId(jobs.submit(TrainingMessages.toSpec(request)).id())
        .build());
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<TrainingJob> observer) {
    Responses.unary(observer, () -> TrainingMessages.toJob(jobs.get(request.getJobId())));
  }

  @Override
  public void cancelJob(CancelJobRequest request, StreamObserver<TrainingJob> observer) {
    Responses.unary(observer, () -> TrainingMessages.toJob(jobs.cancel(request.getJobId())));
  }

  /** Replays the job's events, then streams live ones; the watcher stops when the client goes away. */
  @Override
  public void watchJob(WatchJobRequest request, StreamObserver<TrainingEvent> observer) {
    ServerCallStreamObserver<TrainingEvent> call = (ServerCallStreamObserver<TrainingEvent>) observer;
    AtomicReference<Runnable> unwatch = new AtomicReference<>(() -> {});
    call.setOnCancelHandler(() -> unwatch.get().run());
    Consumer<JobEvent> watcher = event -> {
      if (call.isCancelled()) {
        return;
      }
      call.onNext(TrainingMessages.toEvent(event));
      if (event instanceof JobEvent.Finished) {
        call.onCompleted();
      }
    };
    try {
      unwatch.set(jobs.watch(request.getJobId(), watcher));
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatus(e));
    }
  }
}
