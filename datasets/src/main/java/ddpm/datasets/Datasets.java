package ddpm.datasets;

import ddpm.diffusion.Echo;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The data sets a user can name, under one data root: a {@link KnownDataset} by its id, its files in
 * {@code <root>/<id>/}, or {@code folder:<path>} for the user's own PNGs in {@code <root>/<path>/}. Nothing outside
 * the root can be named, and no message gives the root's absolute path: a trainer's client may be anyone.
 */
public final class Datasets {
  /** A folder of same-size PNG images, by its path relative to the data root, without "..". */
  public static final String FOLDER_PREFIX = "folder:";
  public static final String FOLDER_FORM = FOLDER_PREFIX + "<path>";
  /** Where the fetch scripts put their data sets by default, relative to the project root. */
  public static final String DEFAULT_ROOT = "data";
  /** What {@code --data DIR} means, for every command and service that takes it. */
  public static final String ROOT_HELP = "Data root: each downloaded data set is in DIR/<dataset>/, where its fetch "
      + "script puts it";
  private static final String ROOT_IN_MESSAGES = "<data root>";

  private final Path root;

  public Datasets(Path root) {
    this.root = root;
  }

  /** The names users may give: every known data set's id, then {@value #FOLDER_FORM}. */
  public static List<String> choices() {
    List<String> choices = new ArrayList<>(Arrays.stream(KnownDataset.values()).map(KnownDataset::id).toList());
    choices.add(FOLDER_FORM);
    return choices;
  }

  /**
   * IllegalArgumentException naming the field "dataset" unless {@code name} is a known data set or a folder
   * under the data root.
   */
  public static void checkName(String name) {
    if (name != null && name.startsWith(FOLDER_PREFIX)) {
      folder(name);
    } else if (name == null || KnownDataset.byId(name).isEmpty()) {
      throw new IllegalArgumentException("dataset: must be one of " + Arrays.stream(KnownDataset.values())
          .map(set -> set.id() + " (" + set.description() + ")").collect(Collectors.joining(", "))
          + " or " + FOLDER_FORM + " (a folder of same-size PNG images under the data root), got "
          + Echo.quoted(name));
    }
  }

  /** The data set called {@code name}; nothing is read until it is inspected or loaded. */
  public DatasetSource source(String name) {
    checkName(name);
    if (name.startsWith(FOLDER_PREFIX)) {
      Path folder = folder(name);
      return new PngFolderDataset(name, root.resolve(folder));
    }
    return KnownDataset.byId(name).orElseThrow().source(root);
  }

  /**
   * The data root {@code root} as messages name it: as given when it is relative ("data", so that a command's
   * advice can be pasted), else {@value #ROOT_IN_MESSAGES}, never the server's absolute path.
   */
  static String shown(Path root) {
    return root.isAbsolute() ? ROOT_IN_MESSAGES : root.toString();
  }

  /** The folder's path relative to the data root, once it is one that stays under the root. */
  private static Path folder(String name) {
    String path = name.substring(FOLDER_PREFIX.length());
    if (path.isBlank()) {
      throw new IllegalArgumentException("dataset: " + FOLDER_PREFIX + " needs the path of a folder of PNG images "
          + "under the data root, such as " + FOLDER_PREFIX + "sprites");
    }
    Path folder;
    try {
      folder = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("dataset: " + Echo.quoted(path) + " is not a path: " + e.getReason(), e);
    }
    if (folder.isAbsolute() || folder.getRoot() != null) {
      throw new IllegalArgumentException("dataset: " + FOLDER_PREFIX + " takes a path relative to the data root, "
          + "such as " + FOLDER_PREFIX + "sprites for <data root>/sprites, got " + Echo.quoted(path));
    }
    for (Path part : folder) {
      if (part.toString().equals("..")) {
        throw new IllegalArgumentException("dataset: " + FOLDER_PREFIX + " stays under the data root, so its path "
            + "cannot hold \"..\", got " + Echo.quoted(path));
      }
    }
    return folder;
  }
}
