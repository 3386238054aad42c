package io.mcpwarden.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LookAlikeNamesTest {

  @Test
  void confusableLettersAndDigitsAreLookAlikes() {
    assertThat(LookAlikeNames.lookAlike("send_email", "send_еmail")).isTrue(); // Cyrillic е
    assertThat(LookAlikeNames.lookAlike("read_file", "read_fi1e")).isTrue();
    assertThat(LookAlikeNames.lookAlike("get_config", "get_c0nfig")).isTrue();
    assertThat(LookAlikeNames.lookAlike("modem", "modern")).isTrue(); // rn reads as m
    assertThat(LookAlikeNames.lookAlike("send\u200Bemail", "send_email")).isTrue(); // zero-width space
    assertThat(LookAlikeNames.lookAlike("ＳｅｎｄＥｍａｉｌ", "send-email")).isTrue(); // full-width, case, separators
  }

  @Test
  void oneEditOnALongEnoughNameIsALookAlike() {
    assertThat(LookAlikeNames.lookAlike("get_user", "get_users")).isTrue();
    assertThat(LookAlikeNames.lookAlike("transfer", "transfr")).isTrue();
  }

  @Test
  void differentNamesAndIdenticalNamesAreNot() {
    assertThat(LookAlikeNames.lookAlike("search", "fetch")).isFalse();
    assertThat(LookAlikeNames.lookAlike("get", "set")).isFalse(); // short names: one edit is just a different word
    assertThat(LookAlikeNames.lookAlike("list_files", "read_file")).isFalse();
    assertThat(LookAlikeNames.lookAlike("echo", "echo")).isFalse(); // a duplicate, reported separately
  }
}
