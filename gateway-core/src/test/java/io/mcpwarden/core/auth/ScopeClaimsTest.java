package io.mcpwarden.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading granted scopes from the configured claims (strings split on spaces, lists of strings). */
class ScopeClaimsTest {
  @Test
  void onlyTheConfiguredClaimsGrantScopes() {
    assertThat(new ScopeClaims(List.of("scp", "roles")).read(Map.of("scp", "a b", "roles", List.of("R1", "R2 R3"),
        "scope", "ignored", "sub", "x"))).containsExactly("a", "b", "R1", "R2", "R3");
  }

  @Test
  void valuesOfOtherTypesAreIgnored() {
    assertThat(ScopeClaims.DEFAULT.read(Map.of("scope", 42, "scp", List.of(1, "ok")))).containsExactly("ok");
    assertThat(ScopeClaims.DEFAULT.read(Map.of())).isEmpty();
  }

  @Test
  void atLeastOneClaimIsNeeded() {
    assertThatThrownBy(() -> new ScopeClaims(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
