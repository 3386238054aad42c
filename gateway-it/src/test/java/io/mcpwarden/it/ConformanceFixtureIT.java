package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpwarden.it.fixture.ConformanceFeatures;
import io.mcpwarden.it.fixture.ConformanceServer;
import io.mcpwarden.it.fixture.ConformanceSuite;
import io.mcpwarden.it.support.FixtureProcess;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Checks the conformance fixture on its own: the official MCP conformance suite over
 * Streamable HTTP, and an SDK client over stdio.
 *
 * <p>The fixture is the baseline for the gateway's own conformance runs: if it does not
 * pass everything on its own, a failure seen through the gateway proves nothing.
 * Skipped when {@code WARDEN_SKIP_CONFORMANCE=1} (e.g. no Node/npm available).
 */
class ConformanceFixtureIT {

    @Test
    void fixturePassesEveryConformanceScenario() throws Exception {
        assumeFalse(ConformanceSuite.skipRequested(), ConformanceSuite.SKIP_ENV + "=1");

        try (FixtureProcess fixture = FixtureProcess.startConformanceHttp()) {
            ConformanceSuite.Result result = ConformanceSuite.run(fixture.mcpUri(),
                Path.of("target", "conformance", "fixture-http.txt"));

            assertThat(result.scoreLine()).as("score line in %s", result.report()).isNotEmpty();
            assertThat(result.failedScenarios()).as("failed scenarios, see %s", result.report()).isEmpty();
            assertThat(result.failed()).as(result.scoreLine()).isZero();
            assertThat(result.passed()).as(result.scoreLine()).isPositive();
            assertThat(result.exitCode()).as("suite exit code, see %s", result.report()).isZero();
            assertThat(fixture.process().isAlive()).as("fixture survived the suite").isTrue();
        }
    }

    /**
     * The suite only speaks HTTP; this drives the stdio mode (the command gateway configs
     * spawn) with the SDK client, including the server-to-client requests.
     */
    @Test
    void fixtureServesTheSameFeaturesOverStdio() {
        List<String> command = FixtureProcess.conformanceStdioCommand();
        ServerParameters stdio = ServerParameters.builder(command.getFirst())
            .args(command.subList(1, command.size()))
            .build();
        try (McpSyncClient client = McpClient.sync(new StdioClientTransport(stdio, McpJsonDefaults.getMapper()))
            .clientInfo(McpSchema.Implementation.builder("fixture-it", "1").build())
            .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
            .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, "pong", "stub")
                .build())
            .elicitation(request -> McpSchema.ElicitResult.builder(McpSchema.ElicitResult.Action.ACCEPT)
                .content(Map.of("username", "ada", "email", "ada@example.org"))
                .build())
            .requestTimeout(Duration.ofSeconds(30))
            .build()) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo(ConformanceServer.NAME);

            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .contains("test_simple_text", "test_sampling", "test_elicitation", "json_schema_2020_12_tool");
            assertThat(text(client.callTool(McpSchema.CallToolRequest.builder("test_simple_text").build())))
                .isEqualTo(ConformanceFeatures.SIMPLE_TEXT);
            assertThat(text(client.callTool(McpSchema.CallToolRequest.builder("test_sampling")
                .arguments(Map.of("prompt", "ping")).build()))).isEqualTo("LLM response: pong");
            assertThat(text(client.callTool(McpSchema.CallToolRequest.builder("test_elicitation")
                .arguments(Map.of("message", "who?")).build())))
                .startsWith("User response: action=accept").contains("ada@example.org");
            McpSchema.CallToolResult error = client.callTool(
                McpSchema.CallToolRequest.builder("test_error_handling").build());
            assertThat(error.isError()).isTrue();
            assertThat(client.readResource(McpSchema.ReadResourceRequest.builder("test://template/42/data").build())
                .contents()).singleElement().asString().contains("Data for ID: 42");
        }
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }
}
