package io.mcpwarden.core.content;

import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.detect.InjectionDetector;
import io.mcpwarden.core.detect.SensitiveDataScanner;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detectors applied to one piece of text: injection verdicts, removal of injected lines, and
 * redaction or masking of secrets and personal data.
 *
 * <p>One place for the text-level work so arguments, tool results, resources, prompts and sampling
 * requests are treated alike; the guards only decide which texts to hand it and what to do with
 * the answers.
 */
public final class TextScreen {
  /** What replaces a line the injection detector flagged when the action is {@code redact}. */
  static final String REMOVED = "[REMOVED:prompt-injection]";

  private final InjectionDetector injection;
  private final List<SensitiveDataScanner> scanners;

  /**
   * @param injection the tool-result injection detector, or null when none is available
   * @param scanners secret and PII scanners (any order; overlapping matches are resolved here)
   */
  public TextScreen(InjectionDetector injection, List<SensitiveDataScanner> scanners) {
    this.injection = injection;
    this.scanners = List.copyOf(scanners);
  }

  boolean detectsInjection() {
    return injection != null;
  }

  Verdict inspect(String text) {
    return injection == null || text.isBlank() ? Verdict.CLEAN : injection.inspect(text);
  }

  /**
   * The text without the lines the detector flags on their own; when the instruction spans lines
   * so that no single line is flagged, the whole text is removed.
   */
  String removeInjection(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    boolean removedAny = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i > 0) {
        out.append('\n');
      }
      if (!line.isBlank() && inspect(line).flagged()) {
        out.append(REMOVED);
        removedAny = true;
      } else {
        out.append(line);
      }
    }
    return removedAny ? out.toString() : REMOVED;
  }

  /** Every secret and PII match in the text, in text order, without overlaps (the longer wins). */
  List<SensitiveMatch> sensitive(String text) {
    if (scanners.isEmpty() || text.isEmpty()) {
      return List.of();
    }
    List<SensitiveMatch> all = new ArrayList<>();
    for (SensitiveDataScanner s : scanners) {
      all.addAll(s.scan(text));
    }
    if (all.size() <= 1) {
      return all;
    }
    all.sort(Comparator.comparingInt(SensitiveMatch::start).thenComparing(m -> -(m.end() - m.start())));
    List<SensitiveMatch> out = new ArrayList<>();
    int end = -1;
    for (SensitiveMatch m : all) {
      if (m.start() >= end) {
        out.add(m);
        end = m.end();
      }
    }
    return out;
  }

  /** The secrets in a text (for arguments). */
  List<SensitiveMatch> secrets(String text) {
    return sensitive(text).stream().filter(m -> m.kind() == SensitiveMatch.Kind.SECRET).toList();
  }

  /** A text after redaction, with the number of spans changed per type (empty when unchanged). */
  record Redacted(String text, Map<String, Integer> counts) {}

  /** Redacts secrets and redacts or masks personal data as the settings say. */
  Redacted redact(String text, ContentConfig.Settings s) {
    List<SensitiveMatch> matches = sensitive(text);
    if (matches.isEmpty()) {
      return new Redacted(text, Map.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    Map<String, Integer> counts = new TreeMap<>();
    int at = 0;
    for (SensitiveMatch m : matches) {
      String replacement = switch (m.kind()) {
        case SECRET -> s.secretsInResults() == ContentConfig.ResultSecretAction.REDACT ? m.placeholder() : null;
        case PII -> switch (s.piiFor(m.type())) {
          case REDACT -> m.placeholder();
          case MASK -> mask(text.substring(m.start(), m.end()), m.type());
          case ALLOW -> null;
        };
      };
      if (replacement == null) {
        continue;
      }
      out.append(text, at, m.start()).append(replacement);
      at = m.end();
      counts.merge(m.type(), 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      return new Redacted(text, Map.of());
    }
    out.append(text, at, text.length());
    return new Redacted(out.toString(), counts);
  }

  /**
   * A masked value: an e-mail keeps its first character and its domain, anything else its last
   * four letters or digits; every other letter or digit becomes {@code *}, separators stay.
   */
  static String mask(String value, String type) {
    int at = value.lastIndexOf('@');
    if (type.contains("email") && at > 0) {
      return value.charAt(0) + "***" + value.substring(at);
    }
    int keep = 4;
    char[] c = value.toCharArray();
    int alnum = 0;
    for (char ch : c) {
      if (Character.isLetterOrDigit(ch)) {
        alnum++;
      }
    }
    int toStar = Math.max(alnum - keep, (alnum + 1) / 2);
    for (int i = 0; i < c.length && toStar > 0; i++) {
      if (Character.isLetterOrDigit(c[i])) {
        c[i] = '*';
        toStar--;
      }
    }
    return new String(c);
  }
}
