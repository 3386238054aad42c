package io.mcpwarden.core.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.detect.Redaction;
import io.mcpwarden.core.detect.Redactor;
import io.mcpwarden.core.detect.SensitiveMatch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each personal-data rule with a positive (reported with its type and span) and a legitimate twin
 * of the same shape that is not personal data (a number failing its checksum, a reserved example,
 * a version string).
 */
class PiiScannerTest {
  private static final PiiScanner SCANNER = PiiScanner.defaults();

  static Stream<Arguments> rules() {
    return Stream.of(
        // type, text, the personal data in it, legitimate twin
        Arguments.of("email", "write to %s today", "ana.ruiz@corp-mail.io", "write to someone@example.com or git@github.com today"),
        Arguments.of("email", "contact: %s", "j.smith+billing@acme.co.uk", "logo: icon@2x.png"),
        Arguments.of("phone", "call me on %s", "+44 20 7946 0958", "build 2024.01.15 took 12 s"),
        Arguments.of("phone", "Office: %s", "(415) 308-7142", "see (555) 555-0199 in the film"),
        Arguments.of("phone", "Mobile: %s", "0612 34 56 78", "dated 31.01.2024 in the ledger"),
        Arguments.of("payment-card", "card %s on file", "4991 9220 0119 2523",
            // fails Luhn: an order number of the same shape
            "order 4991 9220 0119 2524 shipped"),
        Arguments.of("payment-card", "amex %s", "370002010195384", "tracking 1Z999AA10123456784 and 123456789012"),
        Arguments.of("iban", "pay to %s please", "DE89 3704 0044 0532 0130 00",
            // one digit changed: bad checksum
            "pay to DE89 3704 0044 0532 0130 01 please"),
        Arguments.of("iban", "IBAN: %s", "GB29NWBK60161331926819", "ref GB29NWBK6016133192681 (too short)"),
        Arguments.of("us-ssn", "SSN %s", "536-22-8714", "SSN 666-22-8714 and 900-12-3456 are never issued"),
        Arguments.of("uk-nino", "NI number %s", "JG 10 37 29 B", "QQ 12 34 56 C is the HMRC example, GB 12 34 56 C never allocated"),
        Arguments.of("es-dni", "DNI %s", "12345678Z", "DNI 12345678A (wrong letter)"),
        Arguments.of("it-fiscal-code", "CF: %s", "RSSMRA85T10A562S", "CF: RSSMRA85T10A562T"),
        Arguments.of("ip-address", "client %s connected", "203.0.113.57", "upgrade to version 10.2.3.4 now"),
        Arguments.of("ip-address", "from %s", "2001:db8:85a3::8a2e:370:7334", "at 12:30:45 and line 58::34:58"),
        Arguments.of("person", "Please ask %s about it", "Dr. Amelia Kowalski", "Please ask the doctor about it"),
        Arguments.of("person", "Dear %s,\nyour order shipped.", "Ana Ruiz", "Dear Customer,\nyour order shipped."),
        Arguments.of("person", "Hello, I'm %s from accounts.", "Naomi Ryan", "Hello, I'm here from accounts."),
        Arguments.of("street-address", "ship to %s, Springfield", "742 Evergreen Terrace", "we shipped 742 items to the terrace"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("rules")
  void reportsPersonalDataWithTypeAndSpan(String type, String template, String value, String twin) {
    String text = template.formatted(value);
    int start = text.indexOf(value);
    SensitiveMatch expected = new SensitiveMatch(SensitiveMatch.Kind.PII, type, start, start + value.length());
    List<SensitiveMatch> matches = SCANNER.scan(text);
    if (type.equals("person")) {
      // the span is the name; the title before it may or may not be part of it
      assertThat(matches).as("in %s", text).anyMatch(m -> m.type().equals("person")
          && m.end() == expected.end() && m.start() >= start && m.start() <= start + 4);
    } else {
      assertThat(matches).as("in %s", text).contains(expected);
    }
  }

  @ParameterizedTest(name = "{0} twin: {3}")
  @MethodSource("rules")
  void leavesTheLegitimateTwinAlone(String type, String template, String value, String twin) {
    assertThat(SCANNER.scan(twin)).as("in %s", twin).isEmpty();
  }

  @Test
  void findsDataFarInsideLongProse() {
    String filler = "lorem ipsum dolor sit amet ".repeat(400);
    String text = filler + "IBAN GB29 NWBK 6016 1331 9268 19 " + filler + "tel +44 20 7946 0958";
    assertThat(SCANNER.scan(text)).extracting(SensitiveMatch::type).containsExactly("iban", "phone");
  }

  @Test
  void wellKnownTestCardNumberIsNotPersonalData() {
    assertThat(SCANNER.scan("use 4111 1111 1111 1111 in the sandbox")).isEmpty();
  }

  @Test
  void cardNumberOutranksPhoneAndSsnShapes() {
    String text = "card 5216133310014715";
    assertThat(SCANNER.scan(text)).extracting(SensitiveMatch::type).containsExactly("payment-card");
  }

  @Test
  void ssnShapedNumberIsNeverAPhone() {
    assertThat(SCANNER.scan("Contact: 123-45-6789 for info")).isEmpty();
  }

  @Test
  void shortLocalNumberNeedsAPhoneLabel() {
    assertThat(SCANNER.scan("Tel: 467 3395")).extracting(SensitiveMatch::type).containsExactly("phone");
    assertThat(SCANNER.scan("Personal Info:\nPhone:\n467 3395\n")).extracting(SensitiveMatch::type).containsExactly("phone");
    assertThat(SCANNER.scan("We sold 467 3395 units")).isEmpty();
    assertThat(SCANNER.scan("my phone is 555-123-4567")).isEmpty();
    assertThat(SCANNER.scan("My driver's license number is 6940579")).isEmpty();
  }

  @Test
  void masksCardKeepingLastFour() {
    String text = "card 4991 9220 0119 2523 on file";
    String out =
        Redactor.apply(
            text,
            SCANNER.scan(text),
            m -> m.type().equals("payment-card") ? Redaction.mask(4) : Redaction.PLACEHOLDER);
    assertThat(out).isEqualTo("card **** **** **** 2523 on file");
  }

  @Test
  void redactsEveryTypeInARecord() {
    String text = "Name: Ana Ruiz, email ana.ruiz@corp-mail.io, IBAN DE89370400440532013000";
    assertThat(Redactor.redact(text, SCANNER.scan(text)))
        .isEqualTo("Name: [REDACTED:person], email [REDACTED:email], IBAN [REDACTED:iban]");
  }

  @Test
  void technicalTextHasNoPersonalData() {
    String text =
        "Use this tool to list workflow runs for a repository. Returns run id, status, "
            + "conclusion and the head SHA 9a038989604e8da62ecddbe2094b16ce1b778be1; "
            + "requires node >= 18.17.0 and listens on 0.0.0.0:8080 or 127.0.0.1.";
    assertThat(SCANNER.scan(text)).isEmpty();
  }
}
