package io.mcpwarden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Appends one benchmark result per line (JSON) to the run's results file, read by {@link Report}. */
final class Results {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Results() {}

  static ObjectNode record(String kind, String group, String label) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("kind", kind);
    n.put("group", group);
    n.put("label", label);
    n.put("time", Instant.now().toString());
    return n;
  }

  /** Prints the record on stdout and appends it to the file, when one is given. */
  static void emit(ObjectNode record, String file) throws IOException {
    String line = JSON.writeValueAsString(record);
    System.out.println("RESULT " + line);
    if (file != null) {
      Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
  }
}
