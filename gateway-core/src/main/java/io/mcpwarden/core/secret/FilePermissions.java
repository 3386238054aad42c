package io.mcpwarden.core.secret;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Owner-only file modes for key and store files, where the file system has POSIX modes. */
final class FilePermissions {
  static final Set<PosixFilePermission> OWNER_READ_WRITE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  static final Set<PosixFilePermission> OWNER_ALL =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private FilePermissions() {}

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Attributes that create a file readable and writable by its owner only (none without POSIX). */
  static FileAttribute<?>[] ownerOnlyFile() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)} : new FileAttribute<?>[0];
  }

  /** Creates a directory (and parents) reachable by its owner only, if it does not exist yet. */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (posix()) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ALL));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Refuses a file that others can read or write, as ssh does for private keys: a key anyone on
   * the machine can read protects nothing.
   */
  static void requireOwnerOnly(Path file, String what) {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> loose = EnumSet.copyOf(perms);
      loose.removeAll(OWNER_ALL);
      if (!loose.isEmpty()) {
        throw new SecretStoreException(what + " " + file + " is accessible by other users (mode "
            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
      }
    } catch (IOException e) {
      throw new SecretStoreException("cannot read the permissions of " + what + " " + file + ": " + e.getMessage(), e);
    }
  }
}
