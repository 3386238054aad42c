package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import io.mcpwarden.it.support.ScriptedProcess;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Aggregated list pages when the policy hides entries: pages are filled from further entries
 * instead of coming back short, and no page is empty while a nextCursor says there is more.
 */
class ListPagingIT {
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("warden-paging-it");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        default: allow
        rules:
          - name: no-hidden
            effect: deny
            when: "tool.name.startsWith('h')"
            reason: hidden tools are not for anyone
        """);
    gw = GatewayHarness.start("page-size: 2\npolicy:\n  file: " + policy + "\nservers:\n"
        + ScriptedProcess.stdioServer("p", "--minimal --tools h1,h2,h3,h4,v1,v2,v3"));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  /** Every page of tools/list as the client gets it, following nextCursor. */
  private static List<List<String>> pages(RawMcp raw, String sid) {
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
      JsonNode result = raw.post("{\"jsonrpc\":\"2.0\",\"id\":" + pages.size() + ",\"method\":\"tools/list\",\"params\":" + params + "}", sid)
          .message().path("result");
      List<String> names = new ArrayList<>();
      result.path("tools").forEach(t -> names.add(t.path("name").asString()));
      pages.add(names);
      cursor = result.has("nextCursor") ? result.get("nextCursor").asString() : null;
      assertThat(cursor == null || !names.isEmpty()).as("page %s is empty but has a nextCursor", pages.size()).isTrue();
    } while (cursor != null && pages.size() < 20);
    return pages;
  }

  @Test
  void hiddenEntriesDoNotShortenPagesOrLeaveAnEmptyPageWithACursor() {
    RawMcp raw = gw.raw();
    String sid = raw.initialize();
    // h1..h4 come first upstream and are all hidden: the first page still holds two visible tools
    assertThat(pages(raw, sid)).containsExactly(List.of("p_v1", "p_v2"), List.of("p_v3"));
  }

  @Test
  void theSdkClientSeesEveryVisibleToolAndNoHiddenOne() {
    try (McpSyncClient client = gw.sdkClient()) {
      List<String> names = new ArrayList<>();
      String cursor = null;
      do {
        McpSchema.ListToolsResult r = client.listTools(cursor);
        r.tools().forEach(t -> names.add(t.name()));
        cursor = r.nextCursor();
      } while (cursor != null);
      assertThat(names).containsExactly("p_v1", "p_v2", "p_v3");
    }
  }
}
