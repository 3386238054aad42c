package io.mcpwarden.core.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksumsTest {

  @Test
  void luhn() {
    assertThat(Checksums.luhn("4991922001192523")).isTrue();
    assertThat(Checksums.luhn("4991922001192524")).isFalse();
    assertThat(Checksums.luhn("79927398713")).isTrue();
  }

  @Test
  void ibanChecksumAndCountryLength() {
    assertThat(Checksums.iban("GB29 NWBK 6016 1331 9268 19")).isTrue();
    assertThat(Checksums.iban("FR1420041010050500013M02606")).isTrue();
    assertThat(Checksums.iban("GB29NWBK60161331926818")).isFalse(); // checksum
    assertThat(Checksums.iban("GB29NWBK6016133192681")).isFalse(); // length for GB
    assertThat(Checksums.iban("QQ29NWBK60161331926819")).isFalse(); // no such country
  }

  @Test
  void spanishDniAndNie() {
    assertThat(Checksums.spanishId("12345678Z")).isTrue();
    assertThat(Checksums.spanishId("12345678-Z")).isTrue();
    assertThat(Checksums.spanishId("12345678A")).isFalse();
    assertThat(Checksums.spanishId("X1234567L")).isTrue();
  }

  @Test
  void italianFiscalCode() {
    assertThat(Checksums.italianFiscalCode("RSSMRA85T10A562S")).isTrue();
    assertThat(Checksums.italianFiscalCode("RSSMRA85T10A562T")).isFalse();
  }

  @Test
  void paymentCardNetworks() {
    assertThat(PaymentCards.valid("370002010195384")).isTrue(); // Amex, 15
    assertThat(PaymentCards.valid("5216133310014715")).isTrue(); // Mastercard, 16
    assertThat(PaymentCards.valid("9216133310014717")).isFalse(); // Luhn-valid, but no network starts with 9
  }

  @Test
  void usSsnRanges() {
    assertThat(PiiRules.usSsn("536-22-8714")).isTrue();
    assertThat(PiiRules.usSsn("000-22-8714")).isFalse();
    assertThat(PiiRules.usSsn("536-00-8714")).isFalse();
    assertThat(PiiRules.usSsn("536-22-0000")).isFalse();
    assertThat(PiiRules.usSsn("078-05-1120")).isFalse();
  }
}
