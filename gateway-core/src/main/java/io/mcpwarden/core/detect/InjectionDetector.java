package io.mcpwarden.core.detect;

/**
 * Judges text the model will read (a tool result, a resource, a prompt message) for indirect
 * prompt injection: instructions aimed at the model rather than data for it.
 */
public interface InjectionDetector {

  Verdict inspect(String text);
}
