package io.mcpwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteLibraryExtractTest {
  @Test
  void copiesTheLibrarySqliteJdbcWouldPickForThisMachineAndReplacesAnOldCopy(@TempDir Path dir) throws Exception {
    String name = LibraryLoaderUtil.getNativeLibName();
    byte[] bundled;
    try (InputStream in = getClass().getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
      assertThat(in).as("sqlite-jdbc bundles a library for this machine").isNotNull();
      bundled = in.readAllBytes();
    }
    Path target = dir.resolve("native");
    Files.createDirectories(target);
    Files.writeString(target.resolve(name), "stale");
    AotTrainingRun.extractSqliteLibrary(target);
    assertThat(Files.readAllBytes(target.resolve(name))).isEqualTo(bundled);
    try (var files = Files.list(target)) {
      assertThat(files).as("no temporary file left behind").containsExactly(target.resolve(name));
    }
  }
}
