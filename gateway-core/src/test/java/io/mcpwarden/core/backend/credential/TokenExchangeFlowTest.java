package io.mcpwarden.core.backend.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mcpwarden.core.config.UpstreamAuthConfig.ClientAuthMethod;
import io.mcpwarden.core.config.UpstreamAuthConfig;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretResolver;
import io.mcpwarden.core.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenExchangeFlowTest {
  static final String GATEWAY_AUDIENCE = "https://gateway.example/mcp";
  static final String UPSTREAM_AUDIENCE = "crm-upstream";
  static final URI UPSTREAM_RESOURCE = URI.create("https://crm.example/mcp");

  private Idp idp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SecretResolver secrets = SecretResolver.of(Map.of("idp-client-secret", Secret.of(Idp.CLIENT_SECRET)));

  @BeforeEach
  void start() {
    idp = new Idp();
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private TokenExchangeFlow flow(int maxSubjects) {
    UpstreamAuthConfig config = new UpstreamAuthConfig.TokenExchange(
        idp.endpoint(ClientAuthMethod.CLIENT_SECRET_BASIC),
        new UpstreamAuthConfig.TokenTarget(List.of(), List.of(UPSTREAM_RESOURCE), List.of(UPSTREAM_AUDIENCE), Duration.ofSeconds(30)),
        maxSubjects);
    return (TokenExchangeFlow) UpstreamCredentials.create("crm", config, secrets, clock);
  }

  /** A front token as the gateway would have validated it: issued for the gateway's audience. */
  private String frontToken(String subject) {
    return idp.server.issueToken(Idp.ISSUER, subject, GATEWAY_AUDIENCE, Map.of("client_id", "front-client")).serialize();
  }

  private static String bearer(Map<String, Secret> headers) {
    return headers.get("Authorization").reveal().substring("Bearer ".length());
  }

  @Test
  void exchangesTheClientTokenForOneBoundToTheUpstream() throws Exception {
    String front = frontToken("alice");
    idp.drain();
    String issued = bearer(flow(10).headers(UpstreamContext.of("alice", Secret.of(front))));

    Idp.TokenCall call = idp.next();
    assertThat(call.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(call.param("subject_token")).isEqualTo(front);
    assertThat(call.param("subject_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(call.param("requested_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(call.param("audience")).isEqualTo(UPSTREAM_AUDIENCE);
    assertThat(call.param("resource")).isEqualTo(UPSTREAM_RESOURCE.toString());
    assertThat(call.authorization()).startsWith("Basic ");

    assertThat(issued).isNotEqualTo(front);
    JWTClaimsSet claims = SignedJWT.parse(issued).getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(UPSTREAM_AUDIENCE);
    assertThat(claims.getAudience()).doesNotContain(GATEWAY_AUDIENCE);
    assertThat(claims.getSubject()).isEqualTo("alice");
  }

  @Test
  void cachesOneTokenPerUserAndReexchangesWhenTheClientTokenChanges() throws Exception {
    TokenExchangeFlow flow = flow(10);
    String aliceToken = frontToken("alice");
    String bobToken = frontToken("bob");
    idp.drain();

    String a1 = bearer(flow.headers(UpstreamContext.of("alice", Secret.of(aliceToken))));
    String a2 = bearer(flow.headers(UpstreamContext.of("alice", Secret.of(aliceToken))));
    assertThat(a2).isEqualTo(a1);
    assertThat(idp.drain()).hasSize(1);

    String b1 = bearer(flow.headers(UpstreamContext.of("bob", Secret.of(bobToken))));
    assertThat(b1).isNotEqualTo(a1);
    assertThat(SignedJWT.parse(b1).getJWTClaimsSet().getSubject()).isEqualTo("bob");
    assertThat(idp.drain()).hasSize(1);

    // Alice refreshed her token: the exchanged token of the old one is not reused.
    clock.advance(Duration.ofSeconds(1));
    String aliceRefreshed = frontToken("alice");
    idp.drain();
    String a3 = bearer(flow.headers(UpstreamContext.of("alice", Secret.of(aliceRefreshed))));
    assertThat(idp.drain()).hasSize(1);
    assertThat(a3).isNotEqualTo(a1);
    assertThat(flow.cachedSubjects()).isEqualTo(2);
  }

  @Test
  void refreshesAnExchangedTokenBeforeItExpires() throws Exception {
    TokenExchangeFlow flow = flow(10);
    UpstreamContext alice = UpstreamContext.of("alice", Secret.of(frontToken("alice")));
    idp.drain();
    String first = bearer(flow.headers(alice));
    JWTClaimsSet c = SignedJWT.parse(first).getJWTClaimsSet();
    long lifetime = (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000;
    clock.advance(Duration.ofSeconds(lifetime - 28));
    assertThat(idp.drain()).hasSize(1);
    bearer(flow.headers(alice));
    assertThat(idp.drain()).hasSize(1);
  }

  @Test
  void theCacheIsBoundedAcrossUsers() throws Exception {
    TokenExchangeFlow flow = flow(2);
    for (String user : List.of("u1", "u2", "u3", "u4")) {
      flow.headers(UpstreamContext.of(user, Secret.of(frontToken(user))));
    }
    assertThat(flow.cachedSubjects()).isEqualTo(2);
  }

  @Test
  void withoutAClientTokenThereIsNoUpstreamCredential() throws Exception {
    TokenExchangeFlow flow = flow(10);
    assertThatThrownBy(() -> flow.headers(UpstreamContext.ANONYMOUS))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("needs an authenticated client");
    assertThat(idp.drain()).isEmpty();
  }

  @Test
  void theCurrentClientTokenIsReadOnEveryRequest() throws Exception {
    TokenExchangeFlow flow = flow(10);
    String t1 = frontToken("alice");
    clock.advance(Duration.ofSeconds(1));
    String t2 = frontToken("alice");
    idp.drain();
    java.util.concurrent.atomic.AtomicReference<Secret> current = new java.util.concurrent.atomic.AtomicReference<>(Secret.of(t1));
    UpstreamContext session = new UpstreamContext("alice", current::get);
    flow.headers(session);
    assertThat(idp.next().param("subject_token")).isEqualTo(t1);
    current.set(Secret.of(t2));
    flow.headers(session);
    assertThat(idp.next().param("subject_token")).isEqualTo(t2);
  }
}
