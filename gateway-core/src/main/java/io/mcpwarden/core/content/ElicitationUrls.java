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

  /** Why {@code url} must not reach the user, or null when it may. */
  static String problem(String url) {
    if (url == null || url.isEmpty()) {
      return "it names no URL";
    }
    if (url.length() > MAX_LENGTH) {
      return "its URL is longer than " + MAX_LENGTH + " characters";
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || hidesText(c)) {
        return "its URL contains a whitespace, control or text-direction character (U+"
            + String.format(Locale.ROOT, "%04X", (int) c) + "), which can hide where the link goes";
      }
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return "its URL does not parse (" + e.getReason() + ")";
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost();
    if (host == null || host.isEmpty() || !u.isAbsolute()) {
      return "its URL is not an absolute URL with a host name in ASCII (internationalised names must be in punycode)";
    }
    if (u.getRawUserInfo() != null) {
      return "its URL has user information before the host (" + host + " is where it really goes)";
    }
    boolean loopback = isLoopback(host);
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      return "its URL uses '" + scheme + "', and only https (or http to this machine) may be sent to a user";
    }
    return null;
  }

  /**
   * Why an acceptable {@code url} is still refused for a server whose links are limited to {@code
   * hosts} (exact names, or {@code *.suffix} for any name under it), or null when it is allowed or
   * the list is empty (no limit).
   */
  static String notAllowed(String url, List<String> hosts) {
    if (hosts.isEmpty()) {
      return null;
    }
    String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    for (String h : hosts) {
      if (h.startsWith("*.") ? host.endsWith(h.substring(1)) && host.length() > h.length() - 1 : host.equals(h)) {
        return null;
      }
    }
    return "its URL's host " + host + " is not one this server may send users to (content.elicitation-url-hosts: "
        + String.join(", ", hosts) + ")";
  }

  /** What the user should know about an acceptable {@code url} before opening it, or null. */
  static String warning(String url) {
    String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
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
    if (!isLoopback(host) && ArgumentRules.literal(host) != null) {
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
