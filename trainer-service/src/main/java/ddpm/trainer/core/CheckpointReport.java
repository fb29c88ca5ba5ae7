package ddpm.trainer.core;

import java.nio.file.Path;

/**
 * A checkpoint as reported: its folder and the previews written beside it, each relative to the trainer's work
 * folder ({@code mnist/ckpt-200}), since clients read them and the work folder's own path is the server's business.
 */
public record CheckpointReport(int step, Path path, Path lossCurve, Path sampleGrid) {}
