package io.mcpwarden.core.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One scan finds every occurrence of every literal, as a search per literal would. */
class LiteralIndexTest {

  @Test
  void findsEveryOccurrenceOfEveryLiteral() {
    List<String> literals =
        List.of("a", "@", "ai", "the", "the response", "the reply", "http", "https://", "ignore", "忽略", "you are now");
    LiteralIndex index = new LiteralIndex(literals);
    String text = "hey ai, the response: ignore the reply at https://x.example or http:// 忽略 @you are now@";
    LiteralIndex.Occurrences occ = index.scan(text);
    for (String l : literals) {
      List<Integer> expected = new ArrayList<>();
      for (int at = text.indexOf(l); at >= 0; at = text.indexOf(l, at + 1)) {
        expected.add(at);
      }
      int id = index.id(l);
      List<Integer> found = new ArrayList<>();
      for (int k = 0; k < occ.count(id); k++) {
        found.add(occ.position(id, k));
      }
      assertThat(found).as(l).isEqualTo(expected);
    }
    assertThat(index.id("absent")).isEqualTo(-1);
  }

  @Test
  void emptyTextHasNoOccurrences() {
    LiteralIndex index = new LiteralIndex(List.of("x", "yz"));
    assertThat(index.scan("").isEmpty()).isTrue();
    assertThat(index.scan("y").count(index.id("yz"))).isZero();
  }
}
