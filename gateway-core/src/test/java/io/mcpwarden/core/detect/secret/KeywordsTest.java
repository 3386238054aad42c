package io.mcpwarden.core.detect.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one-pass keyword index answers what {@code text.toLowerCase().contains(keyword)} answers. */
class KeywordsTest {

  @Test
  void findsEveryRuleKeywordAsContainsWould() {
    List<SecretRule> rules = SecretRules.defaults();
    Keywords index = Keywords.of(rules);
    Set<String> all = new java.util.LinkedHashSet<>();
    rules.forEach(r -> all.addAll(r.keywords()));
    List<String> texts = new ArrayList<>(List.of(
        "", "a", "|", "export AWS_SECRET=x; AKIA in the middle", "curl -u me:pw https://h/", "Bearer abc",
        "tokens: ghp_ and GLPAT- xoxb- %7C sk-ant- -us1 ya29. Sig=", "the garden report shows that tulips need soil"));
    Random random = new Random(7);
    List<String> words = new ArrayList<>(all);
    for (int t = 0; t < 2000; t++) {
      StringBuilder b = new StringBuilder();
      while (b.length() < random.nextInt(120)) {
        String w = words.get(random.nextInt(words.size()));
        int cut = random.nextInt(w.length() + 1);
        String piece = random.nextBoolean() ? w.substring(0, cut) : w.substring(cut);
        b.append(random.nextBoolean() ? piece.toUpperCase(Locale.ROOT) : piece).append(random.nextInt(4) == 0 ? " " : "");
      }
      texts.add(b.toString());
    }
    for (String text : texts) {
      Keywords.Found found = index.scan(text);
      String lower = text.toLowerCase(Locale.ROOT);
      for (String k : all) {
        assertThat(found.has(k)).as("%s in %s", k, text).isEqualTo(lower.contains(k));
      }
    }
  }
}
