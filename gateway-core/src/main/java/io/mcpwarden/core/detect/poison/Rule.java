package io.mcpwarden.core.detect.poison;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One known attack shape: a pattern over normalised, lower-cased text, or two patterns that must
 * occur near each other (e.g. a credential file and an instruction to send it somewhere).
 *
 * <p>Records so the rule table in {@link PoisoningRules} reads as data. A rule can ignore matches
 * that follow a negation ("is never read") or a defensive verb ("detects exfiltration"), which is
 * how honest security tools describe the same nouns.
 *
 * @param id stable name used in verdict reasons, e.g. {@code concealment} or {@code concealment[de]}
 * @param weight how much one hit alone moves the score, in (0, 1)
 * @param pattern the primary pattern
 * @param near patterns that must all match within {@code window} characters of the primary match
 *     (empty: the primary pattern alone decides)
 * @param window characters around the primary match searched for {@code near}
 * @param guard what kind of preceding context cancels a match
 * @param gate literals one of which any match contains ({@link RuleGate}); empty: always run
 * @param nearGates the same for each near pattern
 */
record Rule(String id, double weight, Pattern pattern, List<Pattern> near, int window, Guard guard,
    Optional<List<String>> gate, List<Optional<List<String>>> nearGates) {

  Rule {
    near = List.copyOf(near);
    nearGates = List.copyOf(nearGates);
  }

  Rule(String id, double weight, Pattern pattern, List<Pattern> near, int window, Guard guard) {
    this(id, weight, pattern, near, window, guard, RuleGate.of(pattern.pattern()),
        near.stream().map(p -> RuleGate.of(p.pattern())).toList());
  }

  /** Preceding context that cancels a match. */
  enum Guard {
    NONE,
    /** A negation just before ("never read", "does not send"). */
    NEGATION,
    /** A negation or a defensive verb just before ("scan for", "detects", "signs of"). */
    DEFENSIVE
  }

  private static final Pattern NEGATION = Pattern.compile(
      "\\b(never|not|no|cannot|can't|won't|doesn't|don't|isn't|aren't|without|refuses? to|nor)\\b[^.\\n]{0,25}$");
  private static final Pattern DEFENSIVE = Pattern.compile(
      "\\b(never|not|no|cannot|without|refuses? to|detects?|detecting|detection|detector|scans?|scanning|checks?|checking|"
          + "identif(y|ies|ying)|prevents?|preventing|prevention|blocks?|blocking|flags?|monitors?|monitoring|"
          + "analy[sz]es?|analy[sz]ing|analysis|signs of|protects?|protection|against|audits?|warns?|alerts? on|"
          + "classif(y|ies)|simulat(e|es|ion)|training|awareness|lookup|look up|report(s|ing)? on|mitigat\\w*|defen[cs]e)\\b"
          + "[^.\\n]{0,40}$");

  /** The first match not cancelled by its context, as a short excerpt. */
  Optional<String> find(String text) {
    return find(text, RuleGate.flatten(text));
  }

  /**
   * As {@link #find(String)}, with the gate text ({@link RuleGate#flatten}) computed once by the
   * caller for all rules.
   */
  Optional<String> find(String text, String flatText) {
    return admits(flatText) ? findUngated(text) : Optional.empty();
  }

  /** Whether the gates let {@code flatText} through (see {@link RuleGate#flatten}). */
  boolean admits(String flatText) {
    if (gate.isPresent() && !RuleGate.admits(gate.get(), flatText)) {
      return false;
    }
    for (Optional<List<String>> g : nearGates) {
      if (g.isPresent() && !RuleGate.admits(g.get(), flatText)) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #find(String)} without the gate check (the caller checked a larger text). */
  Optional<String> findUngated(String text) {
    return findIn(text, new int[] {0, text.length()}).map(Match::excerpt);
  }

  /** A match: the segment it is in and a short excerpt. */
  record Match(int segment, String excerpt) {}

  /**
   * The first match in a text made of segments ({@code starts[i]} is where segment i begins, the
   * last entry the text's length). Near-pattern windows are clipped to the primary match's segment.
   */
  Optional<Match> findIn(String text, int[] starts) {
    return findIn(text, starts, null, null);
  }

  /**
   * As {@link #findIn(String, int[])}; with {@code candidates} (ascending positions where a match
   * can start, see {@link GateIndex}) the pattern is tried only there instead of at every position.
   */
  Optional<Match> findIn(String text, int[] starts, int[] candidates, List<int[]> nearCandidates) {
    Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    List<int[]> nearStarts = null;
    int next = 0;
    while (true) {
      if (candidates == null) {
        if (!m.find()) {
          break;
        }
      } else {
        if (next >= candidates.length) {
          break;
        }
        m.region(candidates[next++], text.length());
        if (!m.lookingAt()) {
          continue;
        }
      }
      if (cancelled(text, m.start())) {
        continue;
      }
      int segment = segmentOf(starts, m.start());
      if (!near.isEmpty()) {
        // Each near pattern is matched once over the text, then windows are checked by position:
        // linear in the text, however many primary matches there are.
        if (nearStarts == null) {
          nearStarts = nearStarts(text, nearCandidates);
          if (nearStarts.isEmpty()) {
            return Optional.empty();
          }
        }
        int from = Math.max(starts[segment], m.start() - window);
        int to = Math.min(starts[segment + 1], m.end() + window);
        if (!allWithin(nearStarts, from, to)) {
          continue;
        }
      }
      return Optional.of(new Match(segment, excerpt(text, m.start(), m.end())));
    }
    return Optional.empty();
  }

  private static int segmentOf(int[] starts, int pos) {
    int i = Arrays.binarySearch(starts, pos);
    int seg = i >= 0 ? i : -i - 2;
    return Math.min(Math.max(seg, 0), starts.length - 2);
  }

  /** Uncancelled match starts of every near pattern; empty when one has none at all. */
  private List<int[]> nearStarts(String text, List<int[]> nearCandidates) {
    List<int[]> all = new ArrayList<>(near.size());
    for (int k = 0; k < near.size(); k++) {
      Matcher n = near.get(k).matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      int[] cands = nearCandidates == null ? null : nearCandidates.get(k);
      int[] starts = new int[8];
      int count = 0;
      int next = 0;
      while (true) {
        if (cands == null) {
          if (!n.find()) {
            break;
          }
        } else {
          if (next >= cands.length) {
            break;
          }
          n.region(cands[next++], text.length());
          if (!n.lookingAt()) {
            continue;
          }
        }
        if (!cancelled(text, n.start())) {
          if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
          }
          starts[count++] = n.start();
        }
      }
      if (count == 0) {
        return List.of();
      }
      all.add(Arrays.copyOf(starts, count));
    }
    return all;
  }

  private static boolean allWithin(List<int[]> nearStarts, int from, int to) {
    for (int[] starts : nearStarts) {
      boolean found = false;
      for (int s : starts) {
        if (s >= from && s < to) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private boolean cancelled(String text, int start) {
    if (guard == Guard.NONE) {
      return false;
    }
    String before = text.substring(Math.max(0, start - 60), start);
    return (guard == Guard.DEFENSIVE ? DEFENSIVE : NEGATION).matcher(before).find();
  }

  private static String excerpt(String text, int start, int end) {
    String s = text.substring(start, Math.min(end, start + 60)).replaceAll("\\s+", " ");
    return end - start > 60 ? s + "…" : s;
  }
}
