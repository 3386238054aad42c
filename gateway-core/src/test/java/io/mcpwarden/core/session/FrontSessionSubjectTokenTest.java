package io.mcpwarden.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.backend.credential.UpstreamContext;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.secret.Secret;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrontSessionSubjectTokenTest {
  @Test
  void theUpstreamContextReadsTheLatestClientToken() {
    FrontSession s = new FrontSession("id", "alice [https://idp]", "2025-11-25", JsonRpc.NODES.objectNode(), Instant.EPOCH);
    UpstreamContext ctx = s.upstreamContext();
    assertThat(ctx.subject()).isEqualTo("alice [https://idp]");
    assertThat(ctx.currentSubjectToken()).isEmpty();

    s.updateSubjectToken(Secret.of("t1"));
    assertThat(ctx.currentSubjectToken().orElseThrow().reveal()).isEqualTo("t1");
    s.updateSubjectToken(Secret.of("t2"));
    assertThat(ctx.currentSubjectToken().orElseThrow().reveal()).isEqualTo("t2");
    assertThat(ctx.toString()).doesNotContain("t2");
  }
}
