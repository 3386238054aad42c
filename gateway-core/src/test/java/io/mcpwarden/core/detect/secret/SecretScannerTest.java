package io.mcpwarden.core.detect.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.detect.Redactor;
import io.mcpwarden.core.detect.SensitiveMatch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule with an attack (a credential of the rule's shape, reported with the rule's type and
 * exactly the secret's span) and a legitimate twin (a documentation example, placeholder, variable
 * reference or look-alike that must not be reported). The secrets are random strings generated for
 * this test, not real credentials.
 */
class SecretScannerTest {
  private static final SecretScanner SCANNER = SecretScanner.defaults();

  private static final String PEM_BODY =
      "7XG3/q/xbMtEPO6UkzYuF0ie9Pu2njHkAm1/5wDr16EpLLJIVGHz4FxFEtKyPiYG\n"
          + "FDm7ena8D5VfLDpgyyjVw5HanSBeVRsfAGeAbP0VxNjAe/9i0mYtluYI0KN1gNT1\n"
          + "1cUzYZAa3u2olZU6uqbgsYlVvsSKuvinX+zMqf9OgXluCZz8xBfZuXTptFyfePpX\n";

  static Stream<Arguments> rules() {
    return Stream.of(
        // type, text with the secret, the secret, legitimate twin
        Arguments.of("aws-access-key", "aws_access_key_id = %s", "AKIAUJZDEGXDNCF32EPF",
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
        Arguments.of("aws-secret-key", "aws_secret_access_key = %s", "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",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        Arguments.of("gcp-api-key", "const key = \"%s\";", "AIzap1vRt_1fjORS-6ilI8ihN5KXSc7Tvo-hBKq",
            "const key = \"AIzaSyabcdefghijklmnopqrstuvwxyz1234567\";"),
        Arguments.of("gcp-service-account", "{\"private_key_id\": \"%s\"}", "e2e5738713a818d8962058765a6ca7cff00d796c",
            "{\"private_key_id\": \"<your-private-key-id>\"}"),
        Arguments.of("azure-storage-key",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=%s;EndpointSuffix=core.windows.net",
            "FYY/kv5ZJr3J1TWDtkwtDDb+xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8po+799NksnRH9ucAUsdMl==",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<account-key>;EndpointSuffix=core.windows.net"),
        Arguments.of("azure-connection-string",
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=%s",
            "HUvTCQCyEZDz/TddJ8HyS5SUkCnD8zRA9a9SkpXz9w3=",
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx="),
        Arguments.of("azure-client-secret", "client_secret: %s", "YOv8Q~lY7Zkuvqdt7s8Stqcbnr3yBdGBL.EPH1qh",
            "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"),
        Arguments.of("github-token", "git clone https://x:%s@github.com/acme/app", "ghp_6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh",
            "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        Arguments.of("github-token", "token: %s",
            "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",
            "token: github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        Arguments.of("gitlab-token", "PRIVATE-TOKEN: %s", "glpat-Qxjq4i9DoV8gz4FkQ1ok",
            "PRIVATE-TOKEN: glpat-XXXXXXXXXXXXXXXXXXXX"),
        Arguments.of("slack-token", "SLACK_BOT_TOKEN=%s", "xoxb-263594206564-2343594206574-TBGzvAmwufUxbvJDCTbyvHNs",
            "SLACK_BOT_TOKEN=xoxb-my-bot-token"),
        Arguments.of("slack-webhook", "curl -X POST %s -d '{}'",
            "https://hooks.slack.com/services/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",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        Arguments.of("discord-token", "client.run(\"%s\")  # discord bot", "MC3J27XDCG2LmlZGEONYlgCtjf.fY5ubi.heyEd7P4zDL-ak6J0kGODKdinZn",
            "client.run(\"MTxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxx\")  # discord bot"),
        Arguments.of("firebase-fcm-key", "FCM_SERVER_KEY=%s",
            "AAAALXicaBA:APA91bg8WY1jzIRlNQb0prFmbh7_wy5yq1XoY1BaIMcAxYmfsB4HbQLXjjlAFbVV6q9rXxtNDFyuzX9k1gnneGEYG1_LwiqD9jJBAciI05FhfwKVqlUr5Qrec8TNecj9iNOrjj5VfqRT",
            "FCM_SERVER_KEY=AAAA-your-server-key-here"),
        Arguments.of("stripe-key", "Stripe.api_key = '%s'", "sk_live_M2oeq3hDavJA76rNicHTp8hk",
            "Stripe.publishable_key = 'pk_live_M2oeq3hDavJA76rNicHTp8hk'"),
        Arguments.of("twilio-key", "api key sid %s", "SK81569969e58b081006f7e3dfc967a64c",
            "api key sid SK00000000000000000000000000000000"),
        Arguments.of("sendgrid-key", "SENDGRID_API_KEY='%s'",
            "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",
            "SENDGRID_API_KEY='SG.your-sendgrid-api-key'"),
        Arguments.of("openai-key", "OPENAI_API_KEY=%s",
            "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",
            "OPENAI_API_KEY=sk-proj-your-key-here"),
        Arguments.of("anthropic-key", "x-api-key: %s",
            "sk-ant-api03-vujA-C5Q52ryFlwRlOEVHzc0X0AWIRh-JUqBlIFXZ53Ncqe28_ajY75FnCttn6kfaqDeMqG3omjMyXHCabM6JOF8EFd0NAA",
            "x-api-key: $ANTHROPIC_API_KEY"),
        Arguments.of("npm-token", "//registry.npmjs.org/:_authToken=%s", "npm_dbmF4RPAfqoQB7xoFcSvTAxRzmaZsV2GenFm",
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
        Arguments.of("pypi-token", "password = %s",
            "pypi-AgEIcHlwaS5vcmcNyD7CHLn-xC_1hsYgBds1ghxY5OokvQyx7eNWVQ4vnakJkS1pAWTN3lg8zV5yPU8d0FZfW",
            "password = pypi-AgEIcHlwaS5vcmcxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        Arguments.of("huggingface-token", "huggingface-cli login --token %s", "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",
            "- (id)hf_requiredCharacteristicTypesForDisplayMetadata;"),
        Arguments.of("jwt", "Authorization: Bearer %s",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTQ4MjEiLCJpYXQiOjE3NjQxNTAwMDB9.xZuJPWvHogU5nGYVHWVsUQk4DwgLGNOaeCtL31Ugq_D",
            // header "eyJhbGciOieeei…" does not decode to JSON
            "id eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"),
        Arguments.of("database-url", "DATABASE_URL=postgres://app:%s@db.internal:5432/app", "Zq8vT2mLx9",
            "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app"),
        Arguments.of("url-credentials", "git remote add origin https://deploy:%s@git.acme.dev/app.git", "Gh7kLq2vZw",
            "git remote add origin https://user:password@git.acme.dev/app.git"),
        Arguments.of("basic-auth", "curl -u admin:%s https://api.acme.dev/v1/items", "Xk9!vT2qLm",
            "curl -u \"$USERNAME:$PASSWORD\" https://api.acme.dev/v1/items"),
        Arguments.of("password", "spring.datasource.password=%s", "Tr0ub4dor!3x",
            "spring.datasource.password=${DATASOURCE_PASSWORD}"),
        Arguments.of("generic-secret", "{\"api_key\": \"%s\"}", "NPcbdaKwtgHwIoALtLinxN1Ekia7ZpTj",
            "{\"api_key_id\": \"NPcbdaKwtgHwIoALtLinxN1Ekia7ZpTj\"}"),
        Arguments.of("authorization-header", "-H 'Authorization: Bearer %s'", "5misIZHbhS4_FvafhdZxEuhnbzs0z-1wNiMg9aW3",
            "-H 'Authorization: Bearer <token>'"),
        Arguments.of("private-key", "key: |\n%s", "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "-----END RSA PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\n" + PEM_BODY + "-----END PUBLIC KEY-----"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void reportsTheSecretWithItsTypeAndExactSpan(String type, String template, String secret, String twin) {
    String text = template.formatted(secret);
    List<SensitiveMatch> matches = SCANNER.scan(text);
    int start = text.indexOf(secret);
    assertThat(matches)
        .as("in %s", text)
        .contains(new SensitiveMatch(SensitiveMatch.Kind.SECRET, type, start, start + secret.length()));
  }

  @ParameterizedTest(name = "{0} twin")
  @MethodSource("rules")
  void leavesTheLegitimateTwinAlone(String type, String template, String secret, String twin) {
    assertThat(SCANNER.scan(twin)).as("in %s", twin).isEmpty();
  }

  @Test
  void ordinaryIdentifiersNextToKeyWordsAreNotSecrets() {
    List<String> benign =
        List.of(
            "schemaKey = 'DOC_Vector_5_32'",
            "keystore.file=env/cert.p12",
            "password_length = 12",
            "password = getenv(\"DB_PASSWORD\")",
            "password: changeme",
            "token_url: https://login.example.com/oauth/token",
            "kms_key_id: 555ea4a3-d53a-4412-9c66-3a7cb667b0d6",
            "public_key = \"9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit\"",
            "csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxmiW9rhROG/Whikle15syazJOkrjJa3U2AbhIvUw==",
            "commit 9a038989604e8da62ecddbe2094b16ce1b778be1 (HEAD -> main)",
            "{\"nextPageToken\": \"CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA\", \"sync_token\": \"Q2xhc3NpY1N5bmM4Nzk2\"}",
            "--- PASS: TestE2E/Initialize (0.09s)",
            "The access token expires after 3600 seconds; refresh it with the refresh token.",
            "sha256:eaaa7b11777babe28e6133a8b19ff71cea687e0d7f05158dee95a71f76ce3d00",
            "SNYK_TOKEN = \"12345678-ABCD-ABCD-ABCD-1234567890AB\"",
            "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...");
    for (String text : benign) {
      assertThat(SCANNER.scan(text)).as("in %s", text).isEmpty();
    }
  }

  @Test
  void passwordAssignedInPlainTextIsReported() {
    assertThat(SCANNER.scan("DB_PASSWORD=Spr1ng-T1me!"))
        .extracting(SensitiveMatch::type)
        .containsExactly("password");
  }

  @Test
  void passwordStatedInProse() {
    assertThat(SCANNER.scan("The password is Xk9!vT2qLm, keep it safe."))
        .containsExactly(new SensitiveMatch(SensitiveMatch.Kind.SECRET, "password", 16, 26));
    assertThat(SCANNER.scan("The password is stored in the vault.")).isEmpty();
  }

  @Test
  void entropyNearAKeyWordInProse() {
    String text = "Use the API key 7fQ2xLm9Zr4TbW8kNc3VhJ6sPd1YgA5e to call the service.";
    assertThat(SCANNER.scan(text)).extracting(SensitiveMatch::type).containsExactly("generic-secret");
    assertThat(SCANNER.scan("Use the API key described in the onboarding guide to call it."))
        .isEmpty();
  }

  @Test
  void mostSpecificRuleNamesTheSpan() {
    // A GitHub token assigned to a generic key: one match, typed as the token.
    String text = "GH_TOKEN=ghp_6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh";
    assertThat(SCANNER.scan(text))
        .extracting(SensitiveMatch::type)
        .containsExactly("github-token");
  }

  @Test
  void redactedOutputKeepsKeysAndDropsValues() {
    String text =
        "aws_access_key_id=AKIAUJZDEGXDNCF32EPF\n"
            + "aws_secret_access_key=2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kj\n";
    assertThat(Redactor.redact(text, SCANNER.scan(text)))
        .isEqualTo(
            "aws_access_key_id=[REDACTED:aws-access-key]\n"
                + "aws_secret_access_key=[REDACTED:aws-secret-key]\n");
  }

  @Test
  void truncatedAndMaskedValuesAreNotReported() {
    assertThat(SCANNER.scan("\"token4\": \"xoxp-572370529330-573807301142-572331691188-####################\""))
        .isEmpty();
  }

  @Test
  void lookAlikesRecogniseHandTypedSamples() {
    assertThat(LookAlikes.isLookAlike("12345678-ABCD-ABCD-ABCD-1234567890AB")).isTrue();
    assertThat(LookAlikes.isLookAlike("<your-token>")).isTrue();
    assertThat(LookAlikes.isLookAlike("${API_KEY}")).isTrue();
    assertThat(LookAlikes.isLookAlike("aaaaaaaaaaaaaaaaaaaa")).isTrue();
    assertThat(LookAlikes.isLookAlike("NPcbdaKwtgHwIoALtLinxN1Ekia7ZpTj")).isFalse();
  }

  @Test
  void entropyOfUniformAndConstantStrings() {
    assertThat(Entropy.shannon("")).isZero();
    assertThat(Entropy.shannon("aaaa")).isZero();
    assertThat(Entropy.shannon("0123456789abcdef")).isEqualTo(4.0);
  }
}
