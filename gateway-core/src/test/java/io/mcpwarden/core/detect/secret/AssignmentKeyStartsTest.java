package io.mcpwarden.core.detect.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The assignment forms tried only at {@link AssignmentRule#keyStarts} miss nothing: every match a
 * search of the whole text finds whose key names a secret or password begins at one of them.
 */
class AssignmentKeyStartsTest {

  @Test
  void everySecretKeyMatchOfAWholeTextSearchStartsAtAKeyStart() {
    List<String> pieces = List.of("api_key", "API_KEY", "password", "Pwd", "jiraToken", "--token", "-p", "--auth-key", "key_id",
        "x.y$z@w-", "config", "TOKEN", "=", ": ", " := ", "=>", "\"", "'", " ", "\n", "--", "-", "abcDEF123456ghiJKL789",
        "s3cr3t-V4lue!", "foo.bar", "$secret", "@key", "user_pass", "passphrase", "BEARER", "pat", "path");
    List<String> texts = new ArrayList<>(List.of(
        "\"config\": \"TOKEN=abcDEF123456ghiJKL789\"", "aws.secret_key = wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY",
        "curl --token abcDEF123456ghiJKL789 --password=Xy7$kq2!", "a" .repeat(100) + "_token=abcDEF123456ghiJKL789"));
    Random random = new Random(11);
    for (int t = 0; t < 3000; t++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int i = 0; i < n; i++) {
        b.append(pieces.get(random.nextInt(pieces.size())));
      }
      texts.add(b.toString());
    }
    int checked = 0;
    for (String text : texts) {
      for (int k : new int[] {0, 2}) {
        int[] starts = AssignmentRule.keyStarts(text, k == 0 ? AssignmentRule.ASSIGNMENT_KEY : AssignmentRule.OPTION);
        Matcher m = AssignmentRule.ASSIGNMENTS.get(k).matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
          from = Math.max(m.start() + 1, m.start("val"));
          if (KeyNames.meaning(m.group("key")) != KeyNames.Meaning.OTHER) {
            assertThat(Arrays.stream(starts).anyMatch(s -> s == m.start())).as("form %d at %d in %s", k, m.start(), text).isTrue();
            checked++;
          }
        }
      }
    }
    assertThat(checked).as("the texts exercise the rule").isGreaterThan(300);
  }
}
