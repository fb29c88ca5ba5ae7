package ddpm.trainer.core;

/**
 * One optimizer step as reported: its loss and learning rate, and the throughput since the run (or its
 * resumption) started.
 */
public record StepReport(
    int step, int totalSteps, double loss, double imagesPerSecond, double stepsPerSecond, double learningRate) {}
