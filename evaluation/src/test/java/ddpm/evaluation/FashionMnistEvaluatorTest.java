package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Split;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import org.junit.jupiter.api.Test;

/** The shipped Fashion-MNIST classifier on real Fashion-MNIST, beyond what every data set's must do. */
class FashionMnistEvaluatorTest extends ShippedEvaluatorContract {
  FashionMnistEvaluatorTest() {
    // Each garment is 10 % of Fashion-MNIST; the classifier confuses shirts, pullovers and coats a little.
    super(ReferenceDataset.FASHION_MNIST, 0.05, 0.16);
  }

  @Test
  void mnistDigitsAreFarFromFashionMnist() {
    LabelledSplit digits = LabelledSplit.load(ReferenceDataset.MNIST, DATA, Split.TEST);
    EvaluationReport report = evaluator.evaluate(digits.images().sample(N, 1), 0);
    assertTrue(report.ratio() > 30, "ratio " + report.ratio());
  }
}
