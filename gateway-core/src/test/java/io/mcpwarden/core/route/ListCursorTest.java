package io.mcpwarden.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.message.JsonRpcException;
import io.mcpwarden.core.protocol.ListKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListCursorTest {
  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_KEY = "o".repeat(32).getBytes(StandardCharsets.US_ASCII);

  private static void assertRefused(String cursor, byte[] key, ListKind kind) {
    assertThatThrownBy(() -> ListCursor.decode(key, kind, cursor))
        .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(JsonRpc.INVALID_PARAMS))
        .hasMessage("Invalid cursor");
  }

  @Test
  void roundTripsEveryKindAndOffset() {
    for (ListKind kind : ListKind.values()) {
      for (int offset : new int[] {0, 1, 100, Integer.MAX_VALUE}) {
        String c = ListCursor.encode(KEY, kind, offset);
        assertThat(ListCursor.decode(KEY, kind, c)).isEqualTo(offset);
      }
    }
  }

  @Test
  void noCursorMeansTheFirstPage() {
    assertThat(ListCursor.decode(KEY, ListKind.TOOLS, null)).isZero();
  }

  @Test
  void cursorIsOpaqueUrlSafeText() {
    assertThat(ListCursor.encode(KEY, ListKind.TOOLS, 100)).matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
  }

  @Test
  void cursorFromAnotherSessionKeyIsRefused() {
    assertRefused(ListCursor.encode(OTHER_KEY, ListKind.TOOLS, 100), KEY, ListKind.TOOLS);
  }

  @Test
  void cursorOfAnotherListKindIsRefused() {
    assertRefused(ListCursor.encode(KEY, ListKind.PROMPTS, 100), KEY, ListKind.TOOLS);
  }

  @Test
  void alteredOffsetIsRefused() {
    String c = ListCursor.encode(KEY, ListKind.TOOLS, 100);
    String forgedBody =
        Base64.getUrlEncoder().withoutPadding().encodeToString("TOOLS:0".getBytes(StandardCharsets.UTF_8));
    assertRefused(forgedBody + c.substring(c.indexOf('.')), KEY, ListKind.TOOLS);
  }

  @Test
  void everySingleCharacterChangeIsRefused() {
    String c = ListCursor.encode(KEY, ListKind.RESOURCES, 42);
    for (int i = 0; i < c.length(); i++) {
      char replacement = c.charAt(i) == 'A' ? 'B' : 'A';
      String tampered = c.substring(0, i) + replacement + c.substring(i + 1);
      int index = i;
      assertThatThrownBy(() -> ListCursor.decode(KEY, ListKind.RESOURCES, tampered))
          .as("change at %d", index)
          .isInstanceOf(JsonRpcException.class);
    }
  }

  @Test
  void truncatedSignatureIsRefused() {
    String c = ListCursor.encode(KEY, ListKind.TOOLS, 5);
    assertRefused(c.substring(0, c.length() - 2), KEY, ListKind.TOOLS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", ".", "a.b", "!!!.???", "VE9PTFM6MA", "VE9PTFM6MA."})
  void garbageIsRefused(String cursor) {
    assertRefused(cursor, KEY, ListKind.TOOLS);
  }

  @Test
  void overlongCursorIsRefused() {
    assertRefused("A".repeat(300) + ".B", KEY, ListKind.TOOLS);
  }
}
