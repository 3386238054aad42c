package io.mcpwarden.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.detect.SensitiveMatch.Kind;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanResolverTest {

  private static Candidate c(String type, int start, int end, int priority) {
    return new Candidate(new SensitiveMatch(Kind.SECRET, type, start, end), priority);
  }

  @Test
  void higherPriorityWinsAnOverlapEvenWhenShorter() {
    List<SensitiveMatch> out =
        SpanResolver.resolve(List.of(c("generic-secret", 0, 40, 40), c("jwt", 5, 30, 90)));
    assertThat(out).extracting(SensitiveMatch::type).containsExactly("jwt");
  }

  @Test
  void longerSpanWinsAtEqualPriority() {
    List<SensitiveMatch> out = SpanResolver.resolve(List.of(c("a", 0, 10, 50), c("b", 2, 20, 50)));
    assertThat(out).extracting(SensitiveMatch::type).containsExactly("b");
  }

  @Test
  void resultIsInTextOrderAndNonOverlapping() {
    List<SensitiveMatch> out =
        SpanResolver.resolve(
            List.of(c("x", 30, 40, 10), c("y", 0, 10, 100), c("z", 12, 20, 50), c("w", 15, 35, 1)));
    assertThat(out).extracting(SensitiveMatch::type).containsExactly("y", "z", "x");
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i).start()).isGreaterThanOrEqualTo(out.get(i - 1).end());
    }
  }

  @Test
  void adjacentSpansBothSurvive() {
    assertThat(SpanResolver.resolve(List.of(c("a", 0, 5, 1), c("b", 5, 9, 1)))).hasSize(2);
  }
}
