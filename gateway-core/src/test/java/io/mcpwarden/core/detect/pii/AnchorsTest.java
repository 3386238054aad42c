package io.mcpwarden.core.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A rule tried only at its {@link Anchors} finds exactly what the same rule finds searching the
 * whole text: on the rules' own examples, on them glued together, and on random texts made of the
 * characters the expressions care about (digits, separators, {@code + ( : @ .}, upper- and
 * lower-case letters, non-ASCII capitals).
 */
class AnchorsTest {
  private static final List<String> EXAMPLES = List.of(
      "write to ana.ruiz@corp-mail.io today, cc j.smith+billing@acme.co.uk",
      "call me on +44 20 7946 0958 or Office: (415) 308-7142, Mobile: 0612 34 56 78",
      "card 4111-1111-1111-1111 and 4539 1488 0343 6467, Amex 3714 496353 98431",
      "IBAN DE89 3704 0044 0532 0130 00 / GB82WEST12345698765432",
      "SSN: 536-22-1987, ssn 536221987, NINO AB 12 34 56 C, QQ123456C",
      "DNI 12345678Z, NIE X1234567L, CF RSSMRA85T10A562S",
      "hosts 192.168.1.20, 8.8.8.8, fe80::1ff:fe23:4567:890a and 2001:db8::8a2e:370:7334, 12:30:45",
      "Dr. Amelia Kowalski met Mrs Ruiz; Cheriton Dr Reuquén; Sra. Ana de la Vega",
      "Dear Ana Ruiz,\nthanks. Regards,\nNaomi Ryan\nI'm Naomi Ryan. This is Mark Twain",
      "my name is Ana Ruiz; Name: Ana Ruiz; signed: Bo Li",
      "742 Evergreen Terrace, 90 Whitchurch Road, Apt 5; Rua Diadema 1903; ul. Długa 5; Friedhofstrasse 33; Kiannonkatu 98",
      "version 10.2.3.4, WinPython-64bit-3.4.2.4, ref 123456789012, 2024-01-31");

  @Test
  void anchoredRulesFindWhatAWholeTextSearchFinds() {
    List<String> texts = new ArrayList<>(EXAMPLES);
    texts.add(String.join(" ", EXAMPLES));
    texts.add(String.join("", EXAMPLES));
    Random random = new Random(42);
    String alphabet = "0123456789012345678901234567890123456789     --..//++(()):::@@@__,,\n\tabcdefxyzABCDEFGHMPRSTUVXYZ"
        + "ÉÄßéü";
    for (int t = 0; t < 1500; t++) {
      StringBuilder b = new StringBuilder();
      int length = 1 + random.nextInt(80);
      for (int i = 0; i < length; i++) {
        if (random.nextInt(12) == 0) {
          String e = EXAMPLES.get(random.nextInt(EXAMPLES.size()));
          int from = random.nextInt(e.length());
          b.append(e, from, Math.min(e.length(), from + 1 + random.nextInt(30)));
        } else {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      texts.add(b.toString());
    }
    int found = 0;
    for (PiiRule rule : PiiRules.defaults()) {
      if (rule.start() == null) {
        continue;
      }
      PiiRule whole = new PiiRule(rule.type(), rule.pattern(), rule.check(), rule.priority(), rule.needles(), null);
      for (String text : texts) {
        String lower = text.toLowerCase(Locale.ROOT);
        Anchors anchors = Anchors.of(text);
        List<Candidate> anchored = new ArrayList<>();
        List<Candidate> searched = new ArrayList<>();
        rule.find(text, lower, anchors, anchored);
        whole.find(text, lower, anchors, searched);
        assertThat(anchored).as("%s on %s", rule.pattern(), text).isEqualTo(searched);
        found += searched.size();
      }
    }
    assertThat(found).as("the texts exercise the rules").isGreaterThan(100);
  }

  @Test
  void proseWithoutDigitsOrCapitalsOffersNoStarts() {
    Anchors a = Anchors.of("the garden report shows that tulips need well-drained soil and a sunny spot");
    assertThat(a.digitRuns()).isEmpty();
    assertThat(a.uppers()).isEmpty();
    assertThat(a.emails()).isEmpty();
    assertThat(a.ipv6()).isEmpty();
  }
}
