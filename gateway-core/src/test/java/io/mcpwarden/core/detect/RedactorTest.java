package io.mcpwarden.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpwarden.core.detect.SensitiveMatch.Kind;
import io.mcpwarden.core.detect.pii.PiiScanner;
import io.mcpwarden.core.detect.secret.SecretScanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void replacesSpansWithTypedPlaceholders() {
    String text = "key AKIAZ3MSJV4WWZ7QGRPF and mail ana@corp.io";
    List<SensitiveMatch> matches =
        List.of(
            new SensitiveMatch(Kind.SECRET, "aws-access-key", 4, 24),
            new SensitiveMatch(Kind.PII, "email", 34, 45));
    assertThat(Redactor.redact(text, matches))
        .isEqualTo("key [REDACTED:aws-access-key] and mail [REDACTED:email]");
  }

  @Test
  void masksCardKeepingLastFourAndSeparators() {
    String text = "card 4111 1111 1111 1111 ok";
    List<SensitiveMatch> matches = List.of(new SensitiveMatch(Kind.PII, "payment-card", 5, 24));
    assertThat(Redactor.apply(text, matches, m -> Redaction.mask(4)))
        .isEqualTo("card **** **** **** 1111 ok");
  }

  @Test
  void maskNeverRevealsMoreThanHalfOfAShortValue() {
    assertThat(Redactor.mask("12345", '*', 4)).isEqualTo("***45");
    assertThat(Redactor.mask("ana@corp.io", '#', 0)).isEqualTo("###@####.##");
  }

  @Test
  void policyPerTypeCanKeepSomeSpans() {
    String text = "ip 10.1.2.3 card 4991922001192523";
    List<SensitiveMatch> matches = PiiScanner.defaults().scan(text);
    String out =
        Redactor.apply(
            text,
            matches,
            m -> m.type().equals("ip-address") ? Redaction.KEEP : Redaction.PLACEHOLDER);
    assertThat(out).isEqualTo("ip 10.1.2.3 card [REDACTED:payment-card]");
  }

  @Test
  void noMatchesReturnsTheSameText() {
    assertThat(Redactor.redact("plain", List.of())).isEqualTo("plain");
  }

  @Test
  void rejectsOverlappingOrUnorderedMatches() {
    List<SensitiveMatch> overlapping =
        List.of(
            new SensitiveMatch(Kind.PII, "email", 0, 5),
            new SensitiveMatch(Kind.PII, "phone", 3, 8));
    assertThatThrownBy(() -> Redactor.redact("0123456789", overlapping))
        .isInstanceOf(IllegalArgumentException.class);
    List<SensitiveMatch> outside = List.of(new SensitiveMatch(Kind.PII, "email", 5, 50));
    assertThatThrownBy(() -> Redactor.redact("0123456789", outside))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void combinedScannerRedactsSecretsAndPersonalDataInOnePass() {
    SensitiveDataScanner both =
        new CombinedScanner(List.of(SecretScanner.defaults(), PiiScanner.defaults()));
    String text =
        "connect postgres://app:Zq8vT2mLx9@db.internal/app as ana.ruiz@corp.io, "
            + "token ghp_R8bV2kQx7LmN4pW9sT3yZ6cF1dH5jK0aE2uG";
    String out = Redactor.redact(text, both.scan(text));
    assertThat(out)
        .isEqualTo(
            "connect postgres://app:[REDACTED:database-url]@db.internal/app as [REDACTED:email], "
                + "token [REDACTED:github-token]");
  }
}
