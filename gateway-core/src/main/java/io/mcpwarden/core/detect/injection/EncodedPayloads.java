package io.mcpwarden.core.detect.injection;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds base64, hex and percent-encoded runs in a text and decodes those that turn out to be
 * readable text, so the rules and the classifier can inspect what they say.
 *
 * <p>Why: an instruction in base64 is invisible to word rules but perfectly readable to a model
 * asked to decode it. Only runs that decode to mostly printable text with spaces count, so hashes,
 * keys and binary blobs are left alone.
 */
final class EncodedPayloads {
  /** At most this many candidate runs are decoded per text (bounds the work on hostile input). */
  static final int MAX_CANDIDATES = 32;


  private EncodedPayloads() {}

  /** A decoded run: where it sits in the original text, how it was encoded, what it says. */
  record Payload(int start, int end, String encoding, String decoded) {}

  static List<Payload> find(String original) {
    List<Payload> out = new ArrayList<>();
    int[] budget = {MAX_CANDIDATES};
    alphabetRuns(original, out, budget);
    if (original.indexOf('%') >= 0) {
      percentRuns(original, out, budget);
    }
    return out;
  }

  /** Maximal runs of the base64 alphabet, decoded as hex when they are all hex digits. */
  private static void alphabetRuns(String text, List<Payload> out, int[] budget) {
    int n = text.length();
    int i = 0;
    while (i < n && budget[0] > 0) {
      if (!base64Char(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean hex = true;
      while (i < n && base64Char(text.charAt(i))) {
        hex &= HexFormat.isHexDigit(text.charAt(i));
        i++;
      }
      int end = i;
      while (end < n && end - i < 2 && text.charAt(end) == '=') {
        end++;
      }
      if (end - start < 24) {
        continue;
      }
      budget[0]--;
      String run = text.substring(start, end);
      int s = start;
      int e = end;
      String encoding = hex && run.length() >= 32 ? "hex" : "base64";
      Optional<String> decoded = encoding.equals("hex") ? hex(run) : base64(run);
      decoded
          .filter(EncodedPayloads::readable)
          .ifPresent(d -> out.add(new Payload(s, e, encoding, d)));
      i = end;
    }
  }

  private static boolean base64Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '_'
        || c == '-';
  }

  /** Whitespace-delimited tokens with at least six %XX escapes. */
  private static void percentRuns(String text, List<Payload> out, int[] budget) {
    int n = text.length();
    int i = 0;
    while (i < n && budget[0] > 0) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      int escapes = 0;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        if (text.charAt(i) == '%'
            && i + 2 < n
            && HexFormat.isHexDigit(text.charAt(i + 1))
            && HexFormat.isHexDigit(text.charAt(i + 2))) {
          escapes++;
        }
        i++;
      }
      if (escapes >= 6) {
        budget[0]--;
        int s = start;
        int e = i;
        percent(text.substring(s, e))
            .filter(EncodedPayloads::readable)
            .ifPresent(d -> out.add(new Payload(s, e, "percent-encoding", d)));
      }
    }
  }

  static Optional<String> base64(String run) {
    boolean upper = false;
    boolean lower = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
    }
    if (!(upper && lower)) {
      return Optional.empty(); // a long word or identifier, not base64 of text
    }
    String s = run.replace('-', '+').replace('_', '/');
    int pad = s.indexOf('=');
    String body = pad < 0 ? s : s.substring(0, pad);
    if (body.length() % 4 == 1) {
      body = body.substring(0, body.length() - 1);
    }
    try {
      return utf8(Base64.getDecoder().decode(padded(body)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String padded(String body) {
    return switch (body.length() % 4) {
      case 2 -> body + "==";
      case 3 -> body + "=";
      default -> body;
    };
  }

  static Optional<String> hex(String run) {
    String digits = run.replace(" ", "").replace(":", "");
    if (digits.length() % 2 != 0) {
      digits = digits.substring(0, digits.length() - 1);
    }
    try {
      return utf8(HexFormat.of().parseHex(digits));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<String> percent(String run) {
    ByteBuffer bytes = ByteBuffer.allocate(run.length() * 4);
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      if (c == '%'
          && i + 2 < run.length()
          && HexFormat.isHexDigit(run.charAt(i + 1))
          && HexFormat.isHexDigit(run.charAt(i + 2))) {
        bytes.put((byte) Integer.parseInt(run, i + 1, i + 3, 16));
        i += 2;
      } else if (c == '+') {
        bytes.put((byte) ' ');
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    byte[] b = new byte[bytes.remaining()];
    bytes.get(b);
    return utf8(b);
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Mostly printable, with at least two spaces: prose rather than a blob. */
  static boolean readable(String s) {
    if (s.length() < 12) {
      return false;
    }
    int printable = 0;
    int spaces = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        spaces++;
      }
      if (c == ' ' || c == '\n' || (!Character.isISOControl(c) && c != '\uFFFD')) {
        printable++;
      }
    }
    return spaces >= 2 && printable >= s.length() * 0.95;
  }
}
