package io.mcpwarden.core.detect.secret;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in secret rules.
 *
 * <p>Shapes follow the issuers' published token formats (prefixes, lengths, alphabets) as collected
 * by public secret scanners such as gitleaks; the expressions are our own. Each typed rule anchors
 * on a prefix so it can be pre-filtered by keyword, and rejects look-alikes ({@link LookAlikes}).
 * Context rules (assignments, {@code curl -u}, URL userinfo) come last.
 */
final class SecretRules {
  /** Characters that may not touch either end of a token without making it part of a longer word. */
  private static final String START = "(?<![A-Za-z0-9_.-])";

  private static final String END = "(?![A-Za-z0-9_])";

  private SecretRules() {}

  static List<SecretRule> defaults() {
    List<SecretRule> r = new ArrayList<>();
    // --- Cloud providers ---
    r.add(
        PatternRule.of(
            "aws-access-key",
            "(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Z0-9])",
            "akia", "asia", "abia", "acca", "a3t"));
    r.add(
        PatternRule.of(
                "aws-secret-key",
                "(?i)(?:aws|amazon)[\\w.-]{0,20}?(?:secret|sk)[\\w.-]{0,20}?[\"'\\]]{0,2}[ \\t]{0,5}"
                    + "(?:=|:=|:|=>)[ \\t]{0,5}[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                "aws", "amazon")
            .entropy(4.0));
    r.add(
        PatternRule.of(
                "aws-bedrock-key",
                START + "(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{100,300}={0,2}"
                    + "|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]*)",
                "absk", "bedrock-api-key-")
            .entropy(3.0));
    r.add(PatternRule.of("gcp-api-key", "(?<![\\w-])(AIza[0-9A-Za-z_-]{35})(?![\\w-])", "aiza").entropy(3.5));
    r.add(PatternRule.of("gcp-oauth-secret", START + "(GOCSPX-[\\w-]{28})" + END, "gocspx-"));
    r.add(PatternRule.of("gcp-access-token", START + "(ya29\\.[\\w-]{30,})", "ya29."));
    r.add(
        PatternRule.of(
            "gcp-service-account", "\"private_key_id\"\\s*:\\s*\"([a-f0-9]{40})\"", "private_key_id"));
    r.add(
        PatternRule.of(
                "azure-storage-key",
                "(?i)AccountKey\\s*=\\s*([A-Za-z0-9+/]{86}==)",
                "accountkey")
            .entropy(4.0));
    r.add(
        PatternRule.of(
                "azure-connection-string",
                "(?i)SharedAccessKey\\s*=\\s*([A-Za-z0-9+/]{42,44}=?)",
                "sharedaccesskey")
            .entropy(3.5));
    r.add(
        PatternRule.of(
                "azure-sas-token",
                "[?&]sig=([A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})",
                "sig=")
            .entropy(3.5)
            .check(v -> true));
    r.add(
        PatternRule.of(
            "azure-client-secret",
            "(?<![^\\s'\"`>=:(,\\\\])([A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34})(?![^\\s'\"`<),\\\\])",
            "q~"));
    r.add(PatternRule.of("alibaba-access-key", START + "(LTAI[A-Za-z0-9]{20})" + END, "ltai"));
    r.add(PatternRule.of("digitalocean-token", START + "(do[opr]_v1_[a-f0-9]{64})" + END, "_v1_"));
    r.add(PatternRule.of("cloudflare-origin-ca-key", START + "(v1\\.0-[a-f0-9]{24}-[a-f0-9]{146})" + END, "v1.0-"));
    r.add(PatternRule.of("heroku-api-key", START + "(HRKU-AA[A-Za-z0-9_-]{58})" + END, "hrku-"));
    r.add(PatternRule.of("flyio-token", START + "((?:FlyV1 )?fm[12][ar]?_[A-Za-z0-9+/=]{100,})", "fm1", "fm2"));
    r.add(PatternRule.of("flyio-token", START + "(fo1_[\\w-]{43})" + END, "fo1_"));
    // --- Source hosting and CI ---
    r.add(PatternRule.of("github-token", START + "(gh[pousr]_[A-Za-z0-9]{36,251})" + END, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"));
    r.add(PatternRule.of("github-token", START + "(github_pat_[A-Za-z0-9_]{82})" + END, "github_pat_"));
    r.add(
        PatternRule.of(
            "gitlab-token",
            "(?<![\\w-])(gl(?:pat|dt|ft|oas|rt|cbt|ptt|imt|agent|ffct|soat|cf)-[\\w.-]{20,300})(?![\\w-])",
            "gl"));
    r.add(PatternRule.of("gitlab-token", START + "(GR1348941[\\w-]{20})" + END, "gr1348941"));
    r.add(PatternRule.of("atlassian-api-token", START + "(ATATT3[A-Za-z0-9_=-]{186})", "atatt3"));
    r.add(PatternRule.of("bitbucket-token", START + "(ATBB[A-Za-z0-9_=.-]{32,})" + END, "atbb"));
    r.add(PatternRule.of("npm-token", START + "(npm_[A-Za-z0-9]{36})" + END, "npm_"));
    r.add(PatternRule.of("pypi-token", START + "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})", "pypi-"));
    r.add(PatternRule.of("rubygems-token", START + "(rubygems_[a-f0-9]{48})" + END, "rubygems_"));
    r.add(PatternRule.of("docker-hub-token", START + "(dckr_pat_[A-Za-z0-9_-]{27})" + END, "dckr_pat_"));
    r.add(PatternRule.of("nuget-key", START + "(oy2[a-z0-9]{43})" + END, "oy2"));
    r.add(PatternRule.of("sonar-token", START + "(sq[uap]_[A-Za-z0-9]{40})" + END, "squ_", "sqp_", "sqa_"));
    r.add(PatternRule.of("sourcegraph-token", START + "(sgp_(?:[A-Fa-f0-9]{16}_|local_)?[A-Fa-f0-9]{40})" + END, "sgp_"));
    r.add(PatternRule.of("terraform-token", START + "([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9=_-]{60,70})", "atlasv1"));
    r.add(PatternRule.of("vault-token", START + "(hv[sb]\\.[\\w-]{90,300})", "hvs.", "hvb."));
    r.add(PatternRule.of("doppler-token", START + "(dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44})" + END, "dp."));
    r.add(PatternRule.of("pulumi-token", START + "(pul-[a-f0-9]{40})" + END, "pul-"));
    r.add(PatternRule.of("databricks-token", START + "(dapi[a-f0-9]{32}(?:-\\d)?)" + END, "dapi"));
    r.add(PatternRule.of("postman-key", START + "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + END, "pmak-"));
    r.add(PatternRule.of("tailscale-key", START + "(tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{20,})" + END, "tskey-"));
    r.add(PatternRule.of("grafana-token", START + "(glc_[A-Za-z0-9+/]{32,400}={0,2})", "glc_"));
    r.add(PatternRule.of("grafana-token", START + "(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + END, "glsa_"));
    r.add(PatternRule.of("sentry-token", START + "(sntry[su]_[A-Za-z0-9+/=_]{60,300})", "sntry"));
    r.add(PatternRule.of("new-relic-key", START + "(NRAK-[A-Z0-9]{27})" + END, "nrak-"));
    r.add(PatternRule.of("linear-key", START + "(lin_api_[A-Za-z0-9]{40})" + END, "lin_api_"));
    r.add(PatternRule.of("notion-token", START + "(ntn_[0-9]{11}[A-Za-z0-9]{35})" + END, "ntn_"));
    r.add(PatternRule.of("infracost-token", START + "(ico-[A-Za-z0-9]{32})" + END, "ico-"));
    r.add(PatternRule.of("planetscale-token", START + "(pscale_(?:tkn|pw|oauth)_[\\w=.-]{32,64})" + END, "pscale_"));
    r.add(PatternRule.of("shopify-token", START + "(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + END, "shp"));
    r.add(PatternRule.of("onepassword-token", START + "(ops_eyJ[A-Za-z0-9+/]{250,}={0,3})", "ops_eyj"));
    r.add(
        PatternRule.of(
                "onepassword-secret-key",
                "\\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\\b",
                "a3-")
            .entropy(3.8));
    r.add(PatternRule.of("age-secret-key", "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", "age-secret-key-1"));
    // --- Messaging and SaaS APIs ---
    r.add(
        PatternRule.of(
                "slack-token",
                "(?<![\\w-])((?:xox[abposr]|xoxe(?:\\.xox[bp])?|xapp)-[A-Za-z0-9-]{10,250}+)(?![#*])",
                "xox", "xapp-")
            .check(SecretRules::slackShape));
    r.add(
        PatternRule.of(
            "slack-webhook",
            "((?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,})",
            "hooks.slack.com"));
    r.add(PatternRule.of("discord-webhook", "(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{17,20}/[\\w-]{60,68})", "discord"));
    r.add(
        PatternRule.of(
                "discord-token",
                "(?<![\\w.-])([MNO][A-Za-z0-9_-]{23,25}\\.[\\w-]{6}\\.[\\w-]{27,38})(?![\\w.-])",
                "discord", "bot")
            .entropy(4.0));
    r.add(PatternRule.of("firebase-fcm-key", START + "(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,200})", "apa91b"));
    r.add(PatternRule.of("telegram-bot-token", "(?<![\\d:])(\\d{8,10}:AA[A-Za-z0-9_-]{33})" + END, ":aa"));
    r.add(PatternRule.of("stripe-key", START + "((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{20,247})" + END, "sk_", "rk_"));
    r.add(PatternRule.of("stripe-webhook-secret", START + "(whsec_[A-Za-z0-9]{32,})" + END, "whsec_"));
    r.add(PatternRule.of("twilio-key", START + "(SK[0-9a-fA-F]{32})" + END, "sk").entropy(3.2));
    r.add(PatternRule.of("sendgrid-key", START + "(SG\\.[\\w-]{22}\\.[\\w-]{43})" + END, "sg."));
    r.add(PatternRule.of("mailgun-key", START + "(key-[0-9a-f]{32})" + END, "key-"));
    r.add(PatternRule.of("mailchimp-key", START + "([0-9a-f]{32}-us\\d{1,2})" + END, "-us"));
    r.add(PatternRule.of("square-token", START + "(sq0(?:atp|csp)-[\\w-]{22,43})" + END, "sq0"));
    r.add(PatternRule.of("square-token", START + "(EAAA[\\w-]{60})" + END, "eaaa"));
    r.add(PatternRule.of("facebook-token", START + "(EAA[A-Z][A-Za-z0-9]{90,})", "eaa"));
    r.add(PatternRule.of("facebook-token", "(?<![\\d])(\\d{15,16}(?:\\||%7C)[\\w-]{27})" + END, "|", "%7c"));
    r.add(PatternRule.of("intra42-secret", START + "(s-s4t2(?:ud|af)-[a-f0-9]{64})" + END, "s-s4t2"));
    r.add(PatternRule.of("scalingo-token", START + "(tk-us-[\\w-]{48})" + END, "tk-us-"));
    r.add(PatternRule.of("artifactory-key", START + "(AKCp[A-Za-z0-9]{69})" + END, "akcp").entropy(4.5));
    r.add(PatternRule.of("openshift-token", "(?<![\\w~])(sha256~[\\w-]{43})" + END, "sha256~"));
    r.add(PatternRule.of("mapbox-token", START + "(sk\\.eyJ[A-Za-z0-9_.-]{80,})", "sk.eyj"));
    // --- AI providers ---
    r.add(
        PatternRule.of(
                "openai-key",
                START + "(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}"
                    + "|sk-[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,})" + END,
                "sk-")
            .entropy(3.5));
    r.add(PatternRule.of("anthropic-key", START + "(sk-ant-(?:api|admin|sid|oat)\\d{2}-[A-Za-z0-9_-]{80,120}AA)" + END, "sk-ant-"));
    r.add(PatternRule.of("huggingface-token", START + "(hf_[A-Za-z]{34})" + END, "hf_").check(LookAlikes::mixedCaseLikeRandom));
    r.add(PatternRule.of("huggingface-token", START + "(api_org_[A-Za-z]{34})" + END, "api_org_").check(LookAlikes::mixedCaseLikeRandom));
    r.add(PatternRule.of("perplexity-key", START + "(pplx-[A-Za-z0-9]{48})" + END, "pplx-"));
    r.add(PatternRule.of("groq-key", START + "(gsk_[A-Za-z0-9]{52})" + END, "gsk_"));
    r.add(PatternRule.of("xai-key", START + "(xai-[A-Za-z0-9]{80})" + END, "xai-"));
    r.add(PatternRule.of("replicate-token", START + "(r8_[A-Za-z0-9]{37})" + END, "r8_"));
    // --- Keys and tokens with a structure of their own ---
    r.add(
        PatternRule.of(
                "private-key",
                "(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{50,16000}?"
                    + "-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)",
                "private key")
            .check(SecretRules::pemBody)
            .priority(110));
    r.add(
        PatternRule.of(
                "private-key",
                "(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\\\\n|\\s)*[A-Za-z0-9+/=\\s\\\\:,-]{64,16000})",
                "private key")
            .check(SecretRules::pemBody)
            .priority(105));
    r.add(
        PatternRule.of(
                "jwt",
                "(?<![\\w-])(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*)",
                "eyj")
            .check(JwtShape::valid)
            .priority(90));
    r.add(
        PatternRule.of(
                "authorization-header",
                "(?i)\\b(?:proxy-)?authorization[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?\\s{0,3}"
                    + "(?:(?:bearer|basic|token|api-token|apikey|digest|sso-key)\\s+)?([A-Za-z0-9._~+/=:-]{8,})",
                "authorization")
            .entropy(2.5)
            .check(v -> !ValueShapes.lettersOnly(v) && !ValueShapes.identifierLike(v))
            .priority(60));
    r.add(
        PatternRule.of("authorization-header", "\\b[Bb]earer\\s+([A-Za-z0-9._~+/-]{20,}=*)", "bearer")
            .entropy(3.5)
            .check(v -> ValueShapes.classes(v) >= 2 && !ValueShapes.identifierLike(v))
            .priority(55));
    r.add(
        PatternRule.of(
                "bundler-credentials",
                "\\bBUNDLE_[A-Z0-9_]*__[A-Z]{2,}[ \\t]*[:=][ \\t]*[\"']?[^\\s\"':;]{1,100}:([^\\s\"';&]{4,200})",
                "bundle_")
            .entropy(2.0)
            .priority(80));
    r.add(new UrlCredentialRule());
    r.add(new CurlUserRule());
    r.add(new AssignmentRule());
    return List.copyOf(r);
  }

  /**
   * Slack tokens carry numeric team/user ids or a long base64 body; look-alikes such as {@code
   * xoxb-my-bot-token} or {@code xoxo-indieweb} carry neither.
   */
  static boolean slackShape(String token) {
    for (String part : token.split("-")) {
      if (part.length() >= 6 && part.chars().allMatch(Character::isDigit)) {
        return true;
      }
      if (part.length() >= 40 && Entropy.shannon(part) >= 4.0) {
        return true;
      }
    }
    return false;
  }

  /** A PEM body worth reporting: enough base64 with enough entropy (not {@code anything}). */
  static boolean pemBody(String block) {
    int headerEnd = block.indexOf("-----", 11);
    String body = headerEnd < 0 ? block : block.substring(headerEnd + 5);
    int end = body.indexOf("-----END");
    if (end >= 0) {
      body = body.substring(0, end);
    }
    String b64 = body.replace("\\n", "").replaceAll("[^A-Za-z0-9+/=]", "");
    return b64.length() >= 40 && Entropy.shannon(b64) >= 4.5;
  }
}
