package io.mcpwarden.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptTest {

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void missingHeaderAcceptsBothButIsNotAnExplicitSseRequest(String header) {
    assertThat(Accept.parse(header)).isEqualTo(new Accept(true, true, false, false));
  }

  @Test
  void bothTypesAsTheSpecificationAsks() {
    Accept a = Accept.parse("application/json, text/event-stream");
    assertThat(a.json()).isTrue();
    assertThat(a.sse()).isTrue();
    assertThat(a.sseExplicit()).isTrue();
    assertThat(a.prefersSse()).isFalse();
  }

  @Test
  void clientOrderIsTheTieBreak() {
    assertThat(Accept.parse("text/event-stream, application/json").prefersSse()).isTrue();
    assertThat(Accept.parse("application/json, text/event-stream").prefersSse()).isFalse();
  }

  @Test
  void jsonOnly() {
    assertThat(Accept.parse("application/json")).isEqualTo(new Accept(true, false, false, false));
  }

  @Test
  void sseOnly() {
    assertThat(Accept.parse("text/event-stream")).isEqualTo(new Accept(false, true, true, false));
  }

  @Test
  void wildcardAcceptsBothAndCountsAsExplicit() {
    Accept a = Accept.parse("*/*");
    assertThat(a.json()).isTrue();
    assertThat(a.sse()).isTrue();
    assertThat(a.sseExplicit()).isTrue();
  }

  @Test
  void typeWildcards() {
    assertThat(Accept.parse("application/*")).isEqualTo(new Accept(true, false, false, false));
    Accept text = Accept.parse("text/*");
    assertThat(text.sse()).isTrue();
    assertThat(text.json()).isFalse();
    assertThat(text.sseExplicit()).isFalse();
  }

  @Test
  void parametersWhitespaceAndCaseAreIgnored() {
    Accept a = Accept.parse("Application/JSON;q=0.9 ,  TEXT/Event-Stream ; charset=utf-8");
    assertThat(a.json()).isTrue();
    assertThat(a.sse()).isTrue();
    assertThat(a.sseExplicit()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/html", "application/xml, text/plain", "image/*", "application/jsonx", "text/event-streamx"})
  void headersRulingOutBoth(String header) {
    Accept a = Accept.parse(header);
    assertThat(a.json()).isFalse();
    assertThat(a.sse()).isFalse();
  }
}
