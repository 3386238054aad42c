package io.mcpwarden.core.content;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Checks of the URL in a URL-mode {@code elicitation/create}: the page an upstream asks the user
 * to open (a sign-in, a payment, a consent form).
 *
 * <p>Why: the client shows that URL to a person and opens it in a browser with their cookies, so
 * a malicious or compromised upstream can use it for phishing. The gateway refuses what can never
 * be a legitimate page to send a user to, and marks what is legitimate but easy to misread:
 * <ul>
 *   <li>refused: anything but {@code https} (plain {@code http} only to a loopback host, for
 *       local development), no host, user information before the host ({@code
 *       https://bank.example@evil.example} opens evil.example), whitespace, control or
 *       bidirectional-formatting characters (they hide where the link really goes), a URL that
 *       does not parse or is longer than {@value #MAX_LENGTH} characters;</li>
 *   <li>marked: a host with internationalised (punycode) labels, which can imitate another name
 *       letter for letter, and a bare IP address instead of a name.</li>
 * </ul>
 * Host names are never resolved.
 */
final class ElicitationUrls {
  /** Longer URLs are refused: no sign-in page needs more, and a long one hides its host in a dialog. */
  static final int MAX_LENGTH = 2048;

  private ElicitationUrls() {}

  /**
   * What to do with a link: {@code refusal} says why it must not reach the user (then nothing
   * else is said), else {@code warning}, if not null, what the user should know before opening it.
   */
  record Verdict(String refusal, String warning) {}

  /**
   * Checks {@code url} for a server whose links are limited to {@code hosts} (exact names, or
   * {@code *.suffix} for any name under one; empty: no limit beyond the built-in checks).
   */
  static Verdict check(String url, List<String> hosts) {
    if (url == null || url.isEmpty()) {
      return refused("it names no URL");
    }
    if (url.length() > MAX_LENGTH) {
      return refused("its URL is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || hidesText(c)) {
        return refused("its URL contains a whitespace, control or text-direction character (U+"
            + String.format(Locale.ROOT, "%04X", (int) c) + "), which can hide where the link goes");
      }
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return refused("its URL does not parse (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    String raw = u.getHost();
    if (raw == null || raw.isEmpty() || !u.isAbsolute()) {
      return refused("its URL is not an absolute URL with a host name in ASCII (internationalised names must be in punycode)");
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    String host = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    if (u.getRawUserInfo() != null) {
      return refused("its URL has user information before the host (" + host + " is where it really goes)");
    }
    boolean loopback = isLoopback(host);
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      return refused("its URL uses '" + scheme + "', and only https (or http to this machine) may be sent to a user");
    }
    if (!hosts.isEmpty() && hosts.stream().noneMatch(h -> ArgumentRules.hostMatches(h, host))) {
      return refused("its URL's host " + host + " is not one this server may send users to (content.elicitation-url-hosts: "
          + String.join(", ", hosts) + ")");
    }
    return new Verdict(null, warning(host, loopback));
  }

  private static Verdict refused(String why) {
    return new Verdict(why, null);
  }

  /** What the user should know before opening a link to {@code host}, or null. */
  private static String warning(String host, boolean loopback) {
    for (String label : host.split("\\.")) {
      if (label.startsWith("xn--")) {
        String shown;
        try {
          shown = IDN.toUnicode(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
          shown = host;
        }
        return "the host " + host + " has internationalised labels (shown as " + shown
            + "), which can imitate another name; check it before opening the link";
      }
    }
    if (!loopback && ArgumentRules.literal(host) != null) {
      return "the link names a bare IP address (" + host + ") instead of a host name";
    }
    return null;
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    InetAddress addr = ArgumentRules.literal(host);
    return addr != null && addr.isLoopbackAddress();
  }

  /** Characters that change how the text around them is shown, or show nothing. */
  private static boolean hidesText(char c) {
    return c >= 0x200b && c <= 0x200f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
        || c == 0xfeff || c == 0x00ad || c == 0x061c;
  }
}
