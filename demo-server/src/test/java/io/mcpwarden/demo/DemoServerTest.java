package io.mcpwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Drives the demo server over in-memory stdio streams exactly as a client would, line by line. */
class DemoServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PipedOutputStream clientOut = new PipedOutputStream();

    private final BlockingQueue<String> serverLines = new LinkedBlockingQueue<>();

    private McpSyncServer server;

    @AfterEach
    void stop() throws IOException {
        clientOut.close();
        if (server != null) {
            server.closeGracefully();
        }
    }

    @Test
    void speaksJsonRpcOverStdioAndServesTheDemoFeatures() throws Exception {
        server = DemoServer.start(new PipedInputStream(clientOut, 1 << 16), new LineCollector(serverLines));

        JsonNode init = call(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
            "clientInfo", Map.of("name", "test", "version", "1")));
        assertThat(init.at("/result/serverInfo/name").asString()).isEqualTo("warden-demo");
        assertThat(init.at("/result/protocolVersion").asString()).isEqualTo("2025-06-18");
        send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));

        JsonNode tools = call(2, "tools/list", Map.of());
        List<String> toolNames = new ArrayList<>();
        tools.at("/result/tools").forEach(tool -> toolNames.add(tool.get("name").asString()));
        assertThat(toolNames).containsExactlyInAnyOrder("echo", "add", "current_time", "word_count");

        JsonNode sum = call(3, "tools/call", Map.of("name", "add", "arguments", Map.of("a", 2, "b", 40)));
        assertThat(sum.at("/result/content/0/text").asString()).isEqualTo("2 + 40 = 42");
        assertThat(sum.at("/result/structuredContent/sum").asInt()).isEqualTo(42);

        JsonNode echo = call(4, "tools/call", Map.of("name", "echo", "arguments", Map.of("text", "hi\nthere")));
        assertThat(echo.at("/result/content/0/text").asString()).isEqualTo("hi\nthere");

        JsonNode readme = call(5, "resources/read", Map.of("uri", "demo://readme"));
        assertThat(readme.at("/result/contents/0/text").asString()).contains("warden-demo");

        JsonNode prompt = call(6, "prompts/get", Map.of("name", "summarize", "arguments", Map.of("text", "abc")));
        assertThat(prompt.at("/result/messages/0/content/text").asString()).endsWith("abc");
    }

    @Test
    void toolHandlersComputeTheirResults() {
        Clock noon = Clock.fixed(Instant.parse("2025-03-01T12:00:00.789Z"), ZoneOffset.UTC);
        DemoFeatures features = new DemoFeatures(McpJsonDefaults.getMapper(), noon);

        assertThat(text(features.add(Map.of("a", 0.1, "b", 0.2)))).isEqualTo("0.1 + 0.2 = 0.3");
        assertThat(features.add(Map.of("a", 0.1, "b", 0.2)).structuredContent()).isEqualTo(Map.of("sum", 0.3));
        assertThat(features.add(Map.of("a", "x")).isError()).isTrue();
        assertThat(text(features.wordCount(Map.of("text", "  one two\tthree\n")))).isEqualTo("3");
        assertThat(text(features.wordCount(Map.of("text", "   ")))).isEqualTo("0");
        assertThat(text(features.currentTime(Map.of()))).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(text(features.currentTime(Map.of("timezone", "Asia/Tokyo")))).isEqualTo("2025-03-01T21:00:00+09:00");
        assertThat(features.currentTime(Map.of("timezone", "Mars/Olympus")).isError()).isTrue();
    }

    private JsonNode call(int id, String method, Map<String, Object> params) throws Exception {
        send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
        while (true) {
            String line = serverLines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("response to " + method).isNotNull();
            JsonNode message = JSON.readTree(line);
            if (message.has("id") && message.get("id").asInt() == id) {
                return message;
            }
        }
    }

    private void send(Map<String, Object> message) throws IOException {
        clientOut.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        clientOut.flush();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().getFirst()).text();
    }

    /** Splits what the server writes into lines, as a stdio client reading the child's stdout would. */
    private static final class LineCollector extends OutputStream {

        private final BlockingQueue<String> lines;

        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        LineCollector(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }
    }
}
