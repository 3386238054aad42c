package io.mcpwarden.core.config;

/**
 * Where audit events go.
 *
 * @param path JSON-lines file; "-" writes to standard error; empty disables file output
 * @param queueCapacity events buffered before writers block (bounded so memory stays bounded)
 */
public record AuditConfig(String path, int queueCapacity) {}
