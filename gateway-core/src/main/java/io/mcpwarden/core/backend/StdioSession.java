package io.mcpwarden.core.backend;

import tools.jackson.databind.node.ObjectNode;

/**
 * A front session's view of a stdio child: a virtual session over a possibly shared channel.
 *
 * <p>Keeps per-session state (the listener, the negotiated result) apart from the process, so a
 * shared child never mixes up two users' messages.
 */
final class StdioSession implements UpstreamSession {
  private final StdioChannel channel;
  private final UpstreamListener listener;
  private final ObjectNode initializeResult;
  private final boolean ownsChannel;
  private volatile boolean open = true;

  StdioSession(StdioChannel channel, UpstreamListener listener, ObjectNode initializeResult, boolean ownsChannel) {
    this.channel = channel;
    this.listener = listener;
    this.initializeResult = initializeResult;
    this.ownsChannel = ownsChannel;
  }

  @Override
  public ObjectNode initializeResult() {
    return initializeResult;
  }

  @Override
  public String protocolVersion() {
    return initializeResult.path("protocolVersion").asString();
  }

  @Override
  public UpstreamCall call(ObjectNode request, RelatedSink related) {
    if (!open) {
      return UpstreamCall.failed(new BackendException(channel.name(), "session closed"));
    }
    return channel.call(this, request, related);
  }

  @Override
  public void notify(ObjectNode notification) {
    if (open) {
      channel.write(notification);
    }
  }

  @Override
  public void respond(ObjectNode response) {
    if (open) {
      channel.write(response);
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  void unrelated(ObjectNode message) {
    listener.onMessage(message);
  }

  void upstreamLost(String reason) {
    listener.onClosed(reason);
  }

  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    channel.detach(this);
    if (ownsChannel) {
      channel.close();
    }
  }
}
