package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {
  private static final URI PRM = URI.create("https://gw.example/.well-known/oauth-protected-resource/mcp");

  @Test
  void missingTokenChallengeHasMetadataAndScopeButNoError() {
    assertThat(BearerChallenge.format(PRM, List.of("mcp:tools", "mcp:read"), null, "ignored"))
        .isEqualTo("Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools mcp:read\"");
  }

  @Test
  void invalidTokenChallengeCarriesTheError() {
    String h = BearerChallenge.format(PRM, List.of("mcp:tools"), AuthException.invalidToken("token expired"));
    assertThat(h).isEqualTo("Bearer resource_metadata=\"" + PRM + "\", scope=\"mcp:tools\", error=\"invalid_token\", error_description=\"token expired\"");
  }

  @Test
  void insufficientScopeNamesEveryScopeTheOperationNeeds() {
    String h = BearerChallenge.format(PRM, List.of("mcp:tools"),
        AuthException.insufficientScope("needs more", new java.util.LinkedHashSet<>(List.of("mcp:tools", "demo:write"))));
    assertThat(h).contains("scope=\"mcp:tools demo:write\"").contains("error=\"insufficient_scope\"");
  }

  @Test
  void quotesAndControlCharactersCannotBreakTheHeader() {
    String h = BearerChallenge.format(PRM, Set.of(), "invalid_token", "bad \"quote\" \\ and \r\n newline");
    assertThat(h).doesNotContain("\r").doesNotContain("\n").endsWith("error_description=\"bad _quote_ _ and __ newline\"");
    assertThat(h).doesNotContain("scope=");
  }

  @Test
  void metadataLivesAtTheWellKnownPathPlusTheResourcePath() {
    ProtectedResourceMetadata m = new ProtectedResourceMetadata(URI.create("https://gw.example/mcp"), List.of("https://as.example"), List.of("mcp:tools"));
    assertThat(m.path()).isEqualTo("/.well-known/oauth-protected-resource/mcp");
    assertThat(m.url()).isEqualTo(PRM);
    assertThat(m.toJson().toString()).isEqualTo("{\"resource\":\"https://gw.example/mcp\",\"authorization_servers\":[\"https://as.example\"],"
        + "\"scopes_supported\":[\"mcp:tools\"],\"bearer_methods_supported\":[\"header\"],\"resource_name\":\"MCP Warden\"}");
    ProtectedResourceMetadata root = new ProtectedResourceMetadata(URI.create("http://127.0.0.1:7700"), List.of("x"), List.of());
    assertThat(root.path()).isEqualTo("/.well-known/oauth-protected-resource");
    assertThat(root.toJson().has("scopes_supported")).isFalse();
  }
}
