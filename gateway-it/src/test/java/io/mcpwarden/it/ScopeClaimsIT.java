package io.mcpwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import io.mcpwarden.it.support.GatewayHarness;
import io.mcpwarden.it.support.RawMcp;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code auth.scope-claims} with tokens shaped like Microsoft Entra ID's (issued by
 * mock-oauth2-server): application permissions in {@code roles}, delegated scopes in {@code scp}.
 */
class ScopeClaimsIT {
  private static final String ISSUER_ID = "tenant";
  private static MockOAuth2Server idp;
  private static String issuer;

  @BeforeAll
  static void startIdp() {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getLoopbackAddress(), 0);
    issuer = idp.issuerUrl(ISSUER_ID).toString();
  }

  @AfterAll
  static void stopIdp() {
    idp.shutdown();
  }

  private static GatewayHarness gateway(String scopeClaims) {
    return GatewayHarness.start("""
        auth:
          issuers:
            - issuer: %s
          required-scopes: [mcp.tools]
        %s
        servers:
        """.formatted(issuer, scopeClaims == null ? "" : "  scope-claims: " + scopeClaims)
        + GatewayHarness.demoServer("demo"));
  }

  private static String token(String audience, Map<String, Object> claims) {
    return idp.issueToken(ISSUER_ID, "daemon-app", new DefaultOAuth2TokenCallback(ISSUER_ID, "svc-1",
        JOSEObjectType.JWT.getType(), List.of(audience), claims, 300)).serialize();
  }

  private static RawMcp.Reply initialize(GatewayHarness gw, String token) {
    Map<String, String> h = RawMcp.std(null);
    h.put("Authorization", "Bearer " + token);
    return gw.raw().post(RawMcp.INIT, h);
  }

  @Test
  void appRolesCountAsScopesOnlyWhenRolesIsAScopeClaim() {
    try (GatewayHarness entra = gateway("[scp, roles]"); GatewayHarness plain = gateway(null)) {
      // A client-credentials token: the permission is an app role, there is no scp.
      String appToken = token(entra.url().toString(), Map.of("roles", List.of("mcp.tools")));
      assertThat(initialize(entra, appToken).status()).isEqualTo(200);
      // A delegated (v1-style) token: space-separated scp.
      String userToken = token(entra.url().toString(), Map.of("scp", "offline_access mcp.tools"));
      assertThat(initialize(entra, userToken).status()).isEqualTo(200);

      // The default (scope, scp) does not read roles: the same kind of token lacks the scope.
      RawMcp.Reply r = initialize(plain, token(plain.url().toString(), Map.of("roles", List.of("mcp.tools"))));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("scope=\"mcp.tools\"");
      // A token with scope but not scp is refused where only scp and roles are read.
      RawMcp.Reply s = initialize(entra, token(entra.url().toString(), Map.of("scope", "mcp.tools")));
      assertThat(s.status()).isEqualTo(403);
    }
  }
}
