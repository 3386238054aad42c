package io.mcpwarden.core.content;

import io.mcpwarden.core.config.ContentConfig;
import io.mcpwarden.core.detect.CombinedScanner;
import io.mcpwarden.core.detect.InjectionDetector;
import io.mcpwarden.core.detect.Redaction;
import io.mcpwarden.core.detect.Redactor;
import io.mcpwarden.core.detect.SensitiveDataScanner;
import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.Verdict;
import io.mcpwarden.core.detect.injection.IndirectInjectionDetector;
import io.mcpwarden.core.detect.injection.InjectionFinding;
import java.util.ArrayList;
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
  /** What replaces an injected span (or line) when the action is {@code redact}. */
  static final String REMOVED = "[REMOVED:prompt-injection]";
  /** Letters and digits a mask leaves visible at the end (at most half the value). */
  static final int MASK_KEEP_LAST = 4;

  private final InjectionDetector injection;
  private final SensitiveDataScanner secrets;
  private final SensitiveDataScanner pii;
  private final SensitiveDataScanner all;

  /**
   * @param injection the tool-result injection detector, or null when none is available
   * @param secrets the secret scanner (arguments and results), or null for none
   * @param pii the personal-data scanner (results), or null for none
   */
  public TextScreen(InjectionDetector injection, SensitiveDataScanner secrets, SensitiveDataScanner pii) {
    this.injection = injection;
    this.secrets = secrets;
    this.pii = pii;
    List<SensitiveDataScanner> scanners = new ArrayList<>();
    if (secrets != null) {
      scanners.add(secrets); // first: where a secret and personal data overlap, the secret names the span
    }
    if (pii != null) {
      scanners.add(pii);
    }
    this.all = scanners.isEmpty() ? null : new CombinedScanner(scanners);
  }

  boolean detectsInjection() {
    return injection != null;
  }

  Verdict inspect(String text) {
    return injection == null || text.isBlank() ? Verdict.CLEAN : injection.inspect(text);
  }

  /**
   * The text without its injected parts: the detector's spans where it reports them, else the
   * lines it flags on their own; when nothing narrower is found, the whole text is removed.
   */
  String removeInjection(String text) {
    if (injection instanceof IndirectInjectionDetector d) {
      InjectionFinding f = d.examine(text);
      if (!f.spans().isEmpty()) {
        return f.redact(text, REMOVED);
      }
    }
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

  /** The secrets in a text (for arguments). */
  List<SensitiveMatch> secrets(String text) {
    return secrets == null || text.isEmpty() ? List.of() : secrets.scan(text);
  }

  /** A text after redaction, with the number of spans changed per type (empty when unchanged). */
  record Redacted(String text, Map<String, Integer> counts) {}

  /** Redacts secrets and redacts or masks personal data as the settings say. */
  Redacted redact(String text, ContentConfig.Settings s) {
    // Only the scanners whose findings would change something run: with the defaults (PII allowed)
    // the PII scan, the costlier one, is skipped.
    boolean wantSecrets = secrets != null && s.secretsInResults() == ContentConfig.ResultSecretAction.REDACT;
    boolean wantPii = pii != null && (s.pii() != ContentConfig.PiiAction.ALLOW
        || s.piiTypes() != null && s.piiTypes().values().stream().anyMatch(a -> a != ContentConfig.PiiAction.ALLOW));
    SensitiveDataScanner scanner = wantSecrets && wantPii ? all : wantSecrets ? secrets : wantPii ? pii : null;
    List<SensitiveMatch> matches = scanner == null || text.isEmpty() ? List.of() : scanner.scan(text);
    if (matches.isEmpty()) {
      return new Redacted(text, Map.of());
    }
    Map<String, Integer> counts = new TreeMap<>();
    String out = Redactor.apply(text, matches, m -> {
      Redaction r = switch (m.kind()) {
        case SECRET -> s.secretsInResults() == ContentConfig.ResultSecretAction.REDACT ? Redaction.PLACEHOLDER : Redaction.KEEP;
        case PII -> switch (s.piiFor(m.type())) {
          case REDACT -> Redaction.PLACEHOLDER;
          case MASK -> Redaction.mask(MASK_KEEP_LAST);
          case ALLOW -> Redaction.KEEP;
        };
      };
      if (!(r instanceof Redaction.Keep)) {
        counts.merge(m.type(), 1, Integer::sum);
      }
      return r;
    });
    return counts.isEmpty() ? new Redacted(text, Map.of()) : new Redacted(out, counts);
  }
}
