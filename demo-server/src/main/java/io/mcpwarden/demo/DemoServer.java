package io.mcpwarden.demo;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Entry point of the demo MCP server ("warden-demo") that speaks JSON-RPC over stdio.
 *
 * <p>It exists so the gateway's default configuration has a real, SDK-built upstream to
 * start and front without any external installation.
 */
public final class DemoServer {

    /** Name reported in the initialize result; gateway configs and tests match on it. */
    public static final String NAME = "warden-demo";

    /** Version reported in the initialize result. */
    public static final String VERSION = "0.1.0";

    private DemoServer() {
    }

    /**
     * Starts the server on the process' stdin/stdout and returns once stdin is closed
     * (the SDK's stdio reader and writer threads are non-daemon, so the JVM lives until then).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // Anything but JSON-RPC on stdout corrupts the stream for the client, so the real
        // stdout is kept for the transport and every stray System.out print goes to stderr.
        PrintStream protocolOut = System.out;
        System.setOut(System.err);
        start(System.in, protocolOut);
    }

    /**
     * Builds and starts the demo server on the given streams.
     *
     * @param in  where JSON-RPC requests arrive, one per line
     * @param out where JSON-RPC responses and notifications are written, one per line
     * @return the running server, so callers (tests) can close it
     */
    public static McpSyncServer start(InputStream in, OutputStream out) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        DemoFeatures features = new DemoFeatures(json);
        warmUpSchemaValidator();
        return McpServer.sync(new StdioServerTransportProvider(json, in, out))
            .serverInfo(NAME, VERSION)
            .instructions("Demo server for MCP Warden: a few harmless tools, one resource and one prompt.")
            .requestTimeout(Duration.ofSeconds(30))
            .capabilities(McpSchema.ServerCapabilities.builder()
                .tools(false)
                .resources(false, false)
                .prompts(false)
                .logging()
                .build())
            .tools(features.tools())
            .resources(features.resources())
            .prompts(features.prompts())
            .build();
    }

    /**
     * The SDK validates every tool call's arguments with a JSON Schema library whose first
     * use costs about a second; doing it in the background while the client is still
     * initializing keeps the first tools/call as fast as the rest.
     */
    private static void warmUpSchemaValidator() {
        Thread.ofVirtual().name("schema-warm-up").start(() -> {
            try {
                McpJsonDefaults.getSchemaValidator()
                    .validate(Map.of("type", "object", "properties", Map.of("n", Map.of("type", "number"))),
                        Map.of("n", 1));
            } catch (RuntimeException ignored) {
                // Only an optimisation: a failure here will surface (and be reported) on the real call.
            }
        });
    }
}
