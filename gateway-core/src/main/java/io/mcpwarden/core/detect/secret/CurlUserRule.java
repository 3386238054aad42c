package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The password of a {@code user:password} pair given to {@code -u} / {@code --user} (curl, wget,
 * httpie and most HTTP command lines), reported as {@code basic-auth}.
 *
 * <p>Agents paste such commands into shell tools; the password has no shape of its own, so it is
 * the option that identifies it, and the usual stand-ins ({@code user:pass}, {@code $USER:$PASS},
 * {@code username:password}) are left alone.
 */
final class CurlUserRule implements SecretRule {
  private static final Pattern USER_OPTION =
      Pattern.compile(
          "(?<![\\w-])(?:-u|--user)(?:[ \\t]+|=)(?:\"(?<dq>[^\"\\r\\n]{1,300})\"(?::\"(?<dqpass>[^\"\\r\\n]{1,300})\")?"
              + "|'(?<sq>[^'\\r\\n]{1,300})'"
              + "|(?<bare>[^\\s\"']{1,300})(?:'(?<bsq>[^'\\s]{1,300})'|\"(?<bdq>[^\"\\s]{1,300})\")?)");

  @Override
  public List<String> keywords() {
    return List.of("-u");
  }

  @Override
  public void find(String text, Keywords.Found found, List<Candidate> out) {
    if (!found.has("-u")) {
      return;
    }
    Matcher m = USER_OPTION.matcher(text);
    while (m.find()) {
      String user;
      String pass;
      int passStart;
      String quotedPass = m.group("bsq") != null ? "bsq" : m.group("bdq") != null ? "bdq" : null;
      if (m.group("dqpass") != null) {
        user = m.group("dq");
        pass = m.group("dqpass");
        passStart = m.start("dqpass");
      } else if (quotedPass != null && m.group("bare").endsWith(":")) {
        user = m.group("bare");
        user = user.substring(0, user.length() - 1);
        pass = m.group(quotedPass);
        passStart = m.start(quotedPass);
      } else {
        String group = m.group("dq") != null ? "dq" : m.group("sq") != null ? "sq" : "bare";
        String pair = m.group(group);
        int colon = pair.indexOf(':');
        if (colon < 0 || LookAlikes.isReference(pair)) {
          continue;
        }
        user = pair.substring(0, colon);
        pass = pair.substring(colon + 1);
        passStart = m.start(group) + colon + 1;
        if (pass.isEmpty() && ValueShapes.generatedSecret(user)) {
          // "-u KEY:" passes an API key as the user name with an empty password (Stripe, Mailgun).
          out.add(
              new Candidate(
                  new SensitiveMatch(
                      SensitiveMatch.Kind.SECRET, "basic-auth", m.start(group), m.start(group) + colon),
                  60));
          continue;
        }
      }
      if (acceptable(user, pass)) {
        out.add(
            new Candidate(
                new SensitiveMatch(
                    SensitiveMatch.Kind.SECRET, "basic-auth", passStart, passStart + pass.length()),
                60));
      }
    }
  }

  static boolean acceptable(String user, String pass) {
    return !pass.isEmpty()
        && !pass.equalsIgnoreCase(user)
        && !LookAlikes.isLookAlike(pass)
        && !(ValueShapes.lettersOnly(pass) && pass.length() < 8);
  }
}
