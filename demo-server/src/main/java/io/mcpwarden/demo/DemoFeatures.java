package io.mcpwarden.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * The tools, resource and prompt the demo server offers, with their handlers.
 *
 * <p>Kept apart from the transport wiring so the handlers can be unit-tested without
 * spawning a process, and so the clock can be pinned in tests.
 */
final class DemoFeatures {

    static final String README_URI = "demo://readme";

    static final String README_TEXT = """
        # warden-demo

        A tiny MCP server bundled with MCP Warden so the gateway has something to front.

        Tools:
        - `echo(text)`: returns the text unchanged
        - `add(a, b)`: adds two numbers (text and structured result)
        - `current_time(timezone?)`: current time as ISO-8601, UTC unless an IANA zone is given
        - `word_count(text)`: counts whitespace-separated words

        Prompt: `summarize(text)`.
        """;

    private final McpJsonMapper json;

    private final Clock clock;

    DemoFeatures(McpJsonMapper json) {
        this(json, Clock.systemUTC());
    }

    DemoFeatures(McpJsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    List<SyncToolSpecification> tools() {
        return List.of(
            tool("echo", "Returns the given text unchanged.", """
                {"type":"object","properties":{"text":{"type":"string","description":"Text to echo back"}},
                 "required":["text"]}""",
                null,
                (exchange, request) -> echo(request.arguments())),
            tool("add", "Adds two numbers and returns the sum.", """
                {"type":"object","properties":{"a":{"type":"number","description":"First addend"},
                 "b":{"type":"number","description":"Second addend"}},"required":["a","b"]}""",
                """
                {"type":"object","properties":{"sum":{"type":"number"}},"required":["sum"]}""",
                (exchange, request) -> add(request.arguments())),
            tool("current_time", "Returns the current time as an ISO-8601 timestamp.", """
                {"type":"object","properties":{"timezone":{"type":"string",
                 "description":"IANA time zone such as Europe/Paris; UTC when omitted"}}}""",
                null,
                (exchange, request) -> currentTime(request.arguments())),
            tool("word_count", "Counts the whitespace-separated words in a text.", """
                {"type":"object","properties":{"text":{"type":"string","description":"Text to count words in"}},
                 "required":["text"]}""",
                null,
                (exchange, request) -> wordCount(request.arguments())));
    }

    List<SyncResourceSpecification> resources() {
        McpSchema.Resource readme = McpSchema.Resource.builder(README_URI, "readme")
            .title("warden-demo README")
            .description("What this demo server offers")
            .mimeType("text/markdown")
            .build();
        return List.of(new SyncResourceSpecification(readme, (exchange, request) ->
            McpSchema.ReadResourceResult.builder(List.of(
                McpSchema.TextResourceContents.builder(README_URI, README_TEXT).mimeType("text/markdown").build()))
                .build()));
    }

    List<SyncPromptSpecification> prompts() {
        McpSchema.Prompt summarize = McpSchema.Prompt.builder("summarize")
            .description("Asks the model to summarize a text.")
            .arguments(List.of(McpSchema.PromptArgument.builder("text")
                .description("The text to summarize")
                .required(true)
                .build()))
            .build();
        return List.of(new SyncPromptSpecification(summarize, (exchange, request) -> {
            Object text = request.arguments() == null ? null : request.arguments().get("text");
            String body = "Please summarize the following text in a few sentences:\n\n" + (text == null ? "" : text);
            return McpSchema.GetPromptResult.builder(List.of(McpSchema.PromptMessage.builder(McpSchema.Role.USER,
                    McpSchema.TextContent.builder(body).build()).build()))
                .description("Summarize a text")
                .build();
        }));
    }

    CallToolResult echo(Map<String, Object> args) {
        Object text = arg(args, "text");
        if (!(text instanceof String s)) {
            return error("'text' must be a string");
        }
        return text(s);
    }

    CallToolResult add(Map<String, Object> args) {
        if (!(arg(args, "a") instanceof Number a) || !(arg(args, "b") instanceof Number b)) {
            return error("'a' and 'b' must be numbers");
        }
        // BigDecimal keeps 0.1 + 0.2 printing as 0.3 and integers without a trailing ".0".
        BigDecimal sum = new BigDecimal(a.toString()).add(new BigDecimal(b.toString()));
        Number structuredSum = sum.stripTrailingZeros().scale() <= 0 ? (Number) sum.longValue() : sum.doubleValue();
        return CallToolResult.builder()
            .addTextContent(a + " + " + b + " = " + sum.stripTrailingZeros().toPlainString())
            .structuredContent(Map.of("sum", structuredSum))
            .build();
    }

    CallToolResult currentTime(Map<String, Object> args) {
        Object zoneArg = arg(args, "timezone");
        ZoneId zone;
        try {
            zone = zoneArg == null || zoneArg.toString().isBlank() ? ZoneId.of("UTC") : ZoneId.of(zoneArg.toString());
        } catch (DateTimeException e) {
            return error("Unknown time zone: " + zoneArg);
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone)).truncatedTo(ChronoUnit.SECONDS);
        return text(now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    CallToolResult wordCount(Map<String, Object> args) {
        Object text = arg(args, "text");
        if (!(text instanceof String s)) {
            return error("'text' must be a string");
        }
        String trimmed = s.strip();
        int words = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        return text(String.valueOf(words));
    }

    private SyncToolSpecification tool(String name, String description, String inputSchema, String outputSchema,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, CallToolResult> handler) {
        McpSchema.Tool.Builder tool = McpSchema.Tool.builder(name, json, inputSchema).description(description);
        if (outputSchema != null) {
            tool.outputSchema(json, outputSchema);
        }
        return SyncToolSpecification.builder().tool(tool.build()).callHandler(handler).build();
    }

    private static Object arg(Map<String, Object> args, String name) {
        return args == null ? null : args.get(name);
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
