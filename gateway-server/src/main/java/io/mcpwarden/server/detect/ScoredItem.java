package io.mcpwarden.server.detect;

/**
 * One evaluated dataset row: gold label, the detector's score and decision, and its latency.
 *
 * @param id the row id
 * @param category the gold category ({@code kind} for secrets), for per-category figures
 * @param positive gold label is the positive class (malicious, injected, secret, pii)
 * @param score detector score in [0, 1]
 * @param flagged decision at the operating threshold
 * @param latencyMs wall time of the detector call for this row
 */
public record ScoredItem(String id, String category, boolean positive, double score, boolean flagged, double latencyMs) {}
