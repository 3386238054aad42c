package io.mcpwarden.core.detect;

import tools.jackson.databind.node.ObjectNode;

/**
 * Judges a tool definition (an MCP {@code Tool} object: name, title, description, inputSchema,
 * outputSchema, annotations) for poisoning: hidden instructions, exfiltration, shadowing of other
 * tools, concealment.
 *
 * <p>Everything the model reads of the tool is inspected, not only the description, because
 * payloads hide in parameter descriptions, enum values and defaults.
 */
public interface ToolPoisoningDetector {

  Verdict inspect(ObjectNode tool);
}
