package ddpm.trainer.core;

import java.nio.file.Path;

/** A checkpoint as reported: its folder and the previews written beside it. */
public record CheckpointReport(int step, Path path, Path lossCurve, Path sampleGrid) {}
