/**
 * Indirect prompt injection in text the model will read (tool results, resources, prompt messages,
 * sampling requests): {@link io.mcpwarden.core.detect.injection.IndirectInjectionDetector}, an
 * {@link io.mcpwarden.core.detect.InjectionDetector} that also returns the offending {@link
 * io.mcpwarden.core.detect.injection.Span}s so a guard can redact them.
 *
 * <p>Typical use: {@code InjectionFinding f = new IndirectInjectionDetector().examine(text); if
 * (f.verdict().flagged()) text = f.redact(text, "[removed]");}
 */
package io.mcpwarden.core.detect.injection;
