package io.mcpwarden.core.detect.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds base64, hexadecimal and percent-encoded runs in a text and decodes those that turn out to
 * be readable text.
 *
 * <p>Only readable results count: identifiers, hashes and keys decode to noise and are ignored,
 * so honest text with commit ids or tokens yields no payloads.
 */
final class PayloadDecoder {
  /** At most this many payloads per text (bounded work on hostile input). */
  private static final int MAX_PAYLOADS = 16;

  private static final int MIN_DECODED = 6;

  private static final Pattern BASE64 =
      Pattern.compile("(?<![A-Za-z0-9+/_-])(?:[A-Za-z0-9+/]{16,}|[A-Za-z0-9_-]{16,})={0,2}(?![A-Za-z0-9+/_=-])");
  private static final Pattern HEX = Pattern.compile("(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])");
  private static final Pattern ESCAPED_HEX = Pattern.compile("(?:\\\\x[0-9A-Fa-f]{2}){4,}");
  private static final Pattern PERCENT_RUN = Pattern.compile("\\S*%[0-9A-Fa-f]{2}\\S*");

  /** One decoded payload and how it was encoded (signal null: decoded but not evidence of hiding). */
  record Payload(TextSignal signal, String text) {}

  private PayloadDecoder() {}

  static List<Payload> find(String s) {
    List<Payload> found = new ArrayList<>();
    // Base64 and hex payloads need a long run of their alphabet: a cheap scan spares the regexes.
    if (hasRun(s, 16)) {
      Matcher m = BASE64.matcher(s);
      while (m.find() && found.size() < MAX_PAYLOADS) {
        String decoded = base64(m.group());
        if (decoded != null) {
          found.add(new Payload(TextSignal.BASE64_PAYLOAD, decoded));
        }
      }
      m = HEX.matcher(s);
      while (m.find() && found.size() < MAX_PAYLOADS) {
        addHex(found, m.group());
      }
    }
    Matcher m;
    if (s.contains("\\x")) {
      m = ESCAPED_HEX.matcher(s);
      while (m.find() && found.size() < MAX_PAYLOADS) {
        addHex(found, m.group().replace("\\x", ""));
      }
    }
    if (s.indexOf('%') >= 0) {
      percent(s, found);
    }
    return found;
  }

  /** Whether {@code s} has {@code min} consecutive base64-alphabet characters (hex is a subset). */
  private static boolean hasRun(String s, int min) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '_' || c == '-') {
        if (++run >= min) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  private static String base64(String run) {
    String body = run.replace("=", "");
    if (body.length() % 4 == 1) {
      return null;
    }
    boolean urlSafe = body.indexOf('-') >= 0 || body.indexOf('_') >= 0;
    try {
      byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(body + "==".substring(0, (4 - body.length() % 4) % 4));
      return readable(bytes);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void addHex(List<Payload> found, String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    String decoded = readable(bytes);
    if (decoded != null) {
      found.add(new Payload(TextSignal.HEX_PAYLOAD, decoded));
    }
  }

  /**
   * Decodes whitespace-separated runs holding percent escapes. Only runs with at least three
   * escapes count, and the signal only when letters or digits were escaped: URL encoders never
   * escape those, so doing it is hiding.
   */
  private static void percent(String s, List<Payload> found) {
    Matcher m = PERCENT_RUN.matcher(s);
    while (m.find() && found.size() < MAX_PAYLOADS) {
      String run = m.group();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(run.length());
      int escapes = 0;
      boolean hidesLetters = false;
      for (int i = 0; i < run.length(); i++) {
        char c = run.charAt(i);
        if (c == '%' && i + 2 < run.length() && hex(run.charAt(i + 1)) && hex(run.charAt(i + 2))) {
          int b = Integer.parseInt(run, i + 1, i + 3, 16);
          hidesLetters |= b < 128 && Character.isLetterOrDigit(b);
          bytes.write(b);
          escapes++;
          i += 2;
        } else if (c == '+') {
          bytes.write(' ');
        } else {
          byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
          bytes.write(enc, 0, enc.length);
        }
      }
      if (escapes < 3) {
        continue;
      }
      String decoded = readable(bytes.toByteArray());
      if (decoded != null && hidesLetters) {
        found.add(new Payload(TextSignal.URL_ENCODED_PAYLOAD, decoded));
      } else if (decoded != null && decoded.indexOf(' ') >= 0) {
        // Encoded prose (e.g. a query string) is inspected too, but is not evidence of hiding.
        found.add(new Payload(null, decoded));
      }
    }
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * The bytes as text when they are valid UTF-8 and look like language: mostly letters, spaces and
   * ordinary punctuation, no control characters. Otherwise null.
   */
  static String readable(byte[] bytes) {
    if (bytes.length < MIN_DECODED) {
      return null;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    int letters = 0;
    int spaces = 0;
    int odd = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
      } else if (c == ' ' || c == '\n' || c == '\t') {
        spaces++;
      } else if (Character.isISOControl(c) || Character.getType(c) == Character.UNASSIGNED
          || Character.getType(c) == Character.PRIVATE_USE || c == '\uFFFD') {
        odd++;
      }
    }
    int n = text.length();
    if (odd > 0 || letters < 0.5 * n) {
      return null;
    }
    // Short words with no space decode by chance from identifiers; require prose or length.
    if (spaces == 0 && n < 12) {
      return null;
    }
    return text;
  }
}
