package io.mcpwarden.core.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs several scanners over the same text (typically secrets and personal data) and merges their
 * findings into one non-overlapping, text-ordered list.
 *
 * <p>The guards redact a text once; two scanners' spans may overlap (an e-mail address inside a
 * database URL with a password), so the merge keeps the earlier scanner's finding where they do:
 * pass the scanner whose findings matter most first.
 */
public final class CombinedScanner implements SensitiveDataScanner {
  private final List<SensitiveDataScanner> scanners;

  public CombinedScanner(List<SensitiveDataScanner> scanners) {
    this.scanners = List.copyOf(scanners);
  }

  @Override
  public List<SensitiveMatch> scan(String text) {
    List<SpanResolver.Candidate> all = new ArrayList<>();
    int priority = scanners.size();
    for (SensitiveDataScanner s : scanners) {
      for (SensitiveMatch m : s.scan(text)) {
        all.add(new SpanResolver.Candidate(m, priority));
      }
      priority--;
    }
    return SpanResolver.resolve(all);
  }
}
