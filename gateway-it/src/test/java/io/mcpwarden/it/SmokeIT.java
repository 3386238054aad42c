package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.it.support.GatewayHarness;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo path end to end: official SDK client → gateway → demo server over stdio. */
class SmokeIT {
  @Test
  void sdkClientListsAndCallsDemoToolsThroughGateway() {
    try (GatewayHarness gw = GatewayHarness.demo(); McpSyncClient client = gw.sdkClient()) {
      assertThat(client.getServerInfo().name()).isEqualTo("mcp-warden");
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("demo_echo", "demo_add");
      McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("demo_echo", Map.of("text", "hello")));
      assertThat(((McpSchema.TextContent) r.content().getFirst()).text()).isEqualTo("hello");
      assertThat(client.ping()).isNotNull();
    }
  }
}
