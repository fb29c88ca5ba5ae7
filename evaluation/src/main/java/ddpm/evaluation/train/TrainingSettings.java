package ddpm.evaluation.train;

/** The knobs of one classifier training run; the seed fixes the initial weights and the batch order. */
record TrainingSettings(int epochs, int batchSize, double learningRate, long seed) {

  TrainingSettings {
    if (epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
      throw new IllegalArgumentException("epochs, batch size and learning rate must be positive: " + this);
    }
  }
}
