package ddpm.denoiser.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a version folder holds at one moment: each file's path, size and modification time. Two looks that see the
 * same fingerprint saw no file change between them, which is how the watcher tells that a version copied in file by
 * file (rather than published by an atomic rename) has stopped arriving.
 */
record FolderFingerprint(List<FileStamp> files) {
  record FileStamp(String path, long size, FileTime modified) {}

  FolderFingerprint {
    files = List.copyOf(files);
  }

  /** The fingerprint of {@code dir} now; a file that vanishes while it is read, or a missing folder, is left out. */
  static FolderFingerprint of(Path dir) {
    List<FileStamp> files = new ArrayList<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          files.add(new FileStamp(dir.relativize(file).toString(), attributes.size(), attributes.lastModifiedTime()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparing(FileStamp::path));
    return new FolderFingerprint(files);
  }
}
