package io.mcpwarden.core.config;

/**
 * Bounds on what one client may send or hold open.
 *
 * <p>Every buffer and queue in the gateway is bounded by one of these, so a hostile client costs a
 * known amount of memory.
 *
 * @param maxBodyBytes largest accepted POST body
 * @param maxJsonDepth deepest accepted JSON nesting
 * @param maxHeaderBytes largest accepted request header block
 * @param maxSseStreamsPerSession concurrently open SSE streams per session (GET and POST)
 * @param maxSessions total live front sessions
 * @param sseReplayEvents events kept per stream for resumption with Last-Event-ID
 * @param maxPendingPerSession requests in flight per session
 * @param calls rate, concurrency and result-size limits on routed requests
 */
public record LimitsConfig(
    long maxBodyBytes,
    int maxJsonDepth,
    int maxHeaderBytes,
    int maxSseStreamsPerSession,
    int maxSessions,
    int sseReplayEvents,
    int maxPendingPerSession,
    CallLimitsConfig calls) {

  /** Transport limits with the default call limits. */
  public LimitsConfig(long maxBodyBytes, int maxJsonDepth, int maxHeaderBytes, int maxSseStreamsPerSession,
      int maxSessions, int sseReplayEvents, int maxPendingPerSession) {
    this(maxBodyBytes, maxJsonDepth, maxHeaderBytes, maxSseStreamsPerSession, maxSessions, sseReplayEvents,
        maxPendingPerSession, CallLimitsConfig.DEFAULTS);
  }
}
