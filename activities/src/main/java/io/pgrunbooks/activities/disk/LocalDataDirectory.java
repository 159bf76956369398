package io.pgrunbooks.activities.disk;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.disk.SizedEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The data directory on the worker's machine (host hosting), read and changed with java.nio. */
final class LocalDataDirectory implements DataDirectoryFiles {

  @Override
  public String dataDirectory(TargetConfig target) {
    return target.host().dataDirectory();
  }

  @Override
  public List<SizedEntry> topLevelSizes(TargetConfig target) {
    Path root = Path.of(dataDirectory(target));
    List<SizedEntry> sizes = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        sizes.add(new SizedEntry(entry.getFileName().toString(), du(entry)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    sizes.sort(Comparator.comparingLong(SizedEntry::bytes).reversed().thenComparing(SizedEntry::name));
    return sizes;
  }

  /** Bytes of the files under {@code path}; files that vanish meanwhile (temporary files) are skipped. */
  private static long du(Path path) throws IOException {
    long[] total = {0};
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        total[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  @Override
  public List<FileInfo> regularFiles(TargetConfig target, String directory) {
    List<FileInfo> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(directory))) {
      for (Path entry : entries) {
        try {
          BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile()) {
            files.add(new FileInfo(entry.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis()));
          }
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    return files;
  }

  @Override
  public boolean deleteIfUnmodifiedSince(TargetConfig target, String directory, String name, long cutoffMillis) {
    Path file = Path.of(directory).resolve(name);
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile() || a.lastModifiedTime().toMillis() >= cutoffMillis) {
        return false;
      }
      return Files.deleteIfExists(file);
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
