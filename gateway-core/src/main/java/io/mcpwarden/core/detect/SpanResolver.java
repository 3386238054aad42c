package io.mcpwarden.core.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns overlapping candidate findings into the non-overlapping, text-ordered list that {@link
 * SensitiveDataScanner} promises.
 *
 * <p>Several rules often see the same characters (a JWT inside an {@code Authorization} header, a
 * card number inside a generic {@code token=} assignment). The most specific finding should name
 * the span, so candidates are taken by priority, then by length, then by position, and a candidate
 * that overlaps one already taken is dropped.
 */
public final class SpanResolver {

  /**
   * A finding before overlap resolution.
   *
   * @param match the span and its type
   * @param priority higher wins an overlap; typed rules rank above generic ones
   */
  public record Candidate(SensitiveMatch match, int priority) {}

  private static final Comparator<Candidate> PREFERENCE =
      Comparator.comparingInt((Candidate c) -> -c.priority())
          .thenComparingInt(c -> -(c.match().end() - c.match().start()))
          .thenComparingInt(c -> c.match().start());

  private SpanResolver() {}

  /** The preferred non-overlapping candidates, in text order. */
  public static List<SensitiveMatch> resolve(List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<Candidate> byPreference = new ArrayList<>(candidates);
    byPreference.sort(PREFERENCE);
    List<SensitiveMatch> taken = new ArrayList<>();
    for (Candidate c : byPreference) {
      SensitiveMatch m = c.match();
      if (m.end() <= m.start()) {
        continue;
      }
      boolean overlaps = false;
      for (SensitiveMatch t : taken) {
        if (m.start() < t.end() && t.start() < m.end()) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) {
        taken.add(m);
      }
    }
    taken.sort(Comparator.comparingInt(SensitiveMatch::start));
    return List.copyOf(taken);
  }
}
