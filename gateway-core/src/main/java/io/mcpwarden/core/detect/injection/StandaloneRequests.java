package io.mcpwarden.core.detect.injection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds requests and questions standing alone on their own line inside data: "Write a short story
 * about a detective.", "What is the capital of Brazil?" planted between the rows of a table or the
 * paragraphs of an e-mail.
 *
 * <p>Why a shape rather than words: an off-topic request has no instruction vocabulary ("ignore",
 * "your response") for a rule to match, and its topic is new every time, so a classifier trained
 * on other topics misses it. What it does have is a shape honest data rarely has: a whole line that
 * opens with an imperative task verb or a question word, in a text with other lines. Lines that
 * look like headings, list items, code or labels are not requests. The verb list is general
 * English (tasks one asks an assistant to do), not taken from any data set.
 */
final class StandaloneRequests {
  /** The rule name in reasons and audit records. */
  static final Rule RULE = new Rule.Phrase("standalone-request", 0.65, "(?!)");

  /** Shorter lines are labels and buttons. */
  static final int MIN_WORDS = 5;

  /** Lines longer than this are paragraphs, not planted requests. */
  static final int MAX_LINE = 200;

  /** Words shorter than this carry no topic ("the", "you", "how"). */
  static final int MIN_CONTENT_WORD = 4;

  /** Letters of a word compared when deciding whether a line is on the text's topic. */
  static final int STEM = 5;

  /**
   * Words of four letters or more that say nothing about a topic: function words, the task verbs
   * and question words above, and words every document and mail uses. Overlap in these does not
   * make a planted request belong to the text.
   */
  private static final Set<String> GENERIC =
      Set.of(
          "about", "above", "after", "again", "also", "always", "another", "any", "anyone",
          "anything", "back", "because", "been", "before", "being", "below", "best", "better",
          "between", "both", "cannot", "come", "could", "does", "doing", "done", "down", "each",
          "even", "every", "first", "following", "from", "get", "getting", "give", "going", "good",
          "great", "have", "having", "here", "into", "just", "know", "last", "like", "little",
          "long", "look", "made", "make", "many", "might", "more", "most", "much", "must", "need",
          "never", "next", "only", "other", "over", "please", "really", "same", "should", "since",
          "some", "something", "still", "such", "sure", "take", "than", "thank", "thanks", "that",
          "their", "them", "then", "there", "these", "they", "thing", "things", "think", "this",
          "those", "through", "time", "today", "under", "until", "very", "want", "well", "were",
          "what", "when", "where", "which", "while", "will", "with", "without", "would", "year",
          "years", "your", "yours", "short", "text", "information", "message", "answer",
          "question", "response", "reply", "using", "used", "dear", "regards", "hello");

  private static final Set<String> TASK_VERBS =
      Set.of(
          "write", "explain", "describe", "summarize", "summarise", "provide", "list", "give", "tell",
          "show", "create", "compose", "draft", "translate", "analyze", "analyse", "compare",
          "suggest", "recommend", "generate", "find", "calculate", "convert", "classify", "determine",
          "identify", "define", "discuss", "evaluate", "outline", "help", "name", "predict",
          "rewrite", "paraphrase", "solve", "design", "plan", "develop", "teach", "recite", "imagine",
          "pretend", "share", "break", "elaborate", "illustrate", "brainstorm", "estimate", "rank",
          "assess", "review", "critique", "interpret", "detail", "research", "investigate", "book",
          "schedule", "send", "email", "forward", "transfer", "grant",
          // the same requests in German, French, Spanish, Italian and Portuguese
          "schreibe", "schreib", "erkläre", "beschreibe", "übersetze", "fasse", "nenne", "gib",
          "écris", "explique", "décris", "traduis", "résume", "donne", "rédige", "escribe",
          "explica", "traduce", "resume", "dame", "redacta", "scrivi", "spiega",
          "descrivi", "traduci", "riassumi", "elenca", "escreva", "descreva",
          "traduza", "resuma");

  /**
   * Actions an agent performs with its tools on someone's behalf; "Please grant access to …" on a
   * line of its own is a request to the agent, where "Please let us know …" is ordinary mail.
   */
  private static final Set<String> AGENT_ACTIONS =
      Set.of(
          "transfer", "wire", "grant", "unlock", "delete", "deposit", "purchase", "buy", "retrieve",
          "export", "disable", "reset", "execute", "revoke", "approve");

  private static final Set<String> QUESTION_OPENERS =
      Set.of(
          "what", "how", "why", "who", "whom", "whose", "when", "where", "which", "can", "could",
          "would", "will", "is", "are", "do", "does", "did", "should", "shall", "may", "wie", "was",
          "warum", "wer", "wo", "welche", "welcher", "kannst", "quel", "quelle", "quels",
          "comment", "pourquoi", "qui", "où", "qué", "cómo", "cuál", "cuáles", "quién",
          "dónde", "cuándo", "puedes", "cosa", "come", "perché", "chi", "quale", "dove", "qual",
          "como", "onde", "quem");

  private StandaloneRequests() {}

  /** Reports each request-shaped line of folded text {@code t} as a range {start, end}. */
  static void find(String t, Consumer<int[]> lines) {
    int n = t.length();
    if (t.indexOf('\n') < 0) {
      return; // a one-line text has no data around a planted line
    }
    List<int[]> candidates = null;
    int from = 0;
    while (from < n) {
      int to = t.indexOf('\n', from);
      if (to < 0) {
        to = n;
      }
      int s = from;
      int e = to;
      while (s < e && t.charAt(s) == ' ') {
        s++;
      }
      while (e > s && t.charAt(e - 1) == ' ') {
        e--;
      }
      if (e > s && (s > 0 || e < n) && requestShaped(t, s, e)) {
        if (candidates == null) {
          candidates = new ArrayList<>(2);
        }
        candidates.add(new int[] {s, e});
      }
      from = to + 1;
    }
    if (candidates == null) {
      return;
    }
    Map<String, Integer> inText = stems(t, 0, n);
    for (int[] line : candidates) {
      if (!onTopic(t, line[0], line[1], inText)) {
        lines.accept(line);
      }
    }
  }

  /**
   * Whether the line shares a content word with the rest of the text. A question or request that
   * belongs to its document (an FAQ entry, "could you send me the Q3 report?" in a mail about that
   * report, "why does my cake sink?" in a recipe) talks about what the text around it talks about;
   * a planted one ("what is the capital of Brazil?" in a card statement) does not, because its
   * topic was chosen by someone else. Words are compared by their first five letters, so
   * "address"/"addresses" and "release"/"released" meet.
   */
  static boolean onTopic(String t, int start, int end, Map<String, Integer> inText) {
    Map<String, Integer> inLine = stems(t, start, end);
    for (Map.Entry<String, Integer> w : inLine.entrySet()) {
      if (inText.getOrDefault(w.getKey(), 0) > w.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** Counts of the content words of t[start, end) by stem; generic words are left out. */
  private static Map<String, Integer> stems(String t, int start, int end) {
    Map<String, Integer> counts = new HashMap<>();
    int i = start;
    while (i < end) {
      while (i < end && !Character.isLetterOrDigit(t.charAt(i))) {
        i++;
      }
      int w = i;
      while (i < end && Character.isLetterOrDigit(t.charAt(i))) {
        i++;
      }
      if (i - w >= MIN_CONTENT_WORD) {
        String word = t.substring(w, i);
        if (!GENERIC.contains(word) && !TASK_VERBS.contains(word) && !QUESTION_OPENERS.contains(word)) {
          counts.merge(word.substring(0, Math.min(STEM, word.length())), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** Whether the line [start, end) of {@code t} opens with a task verb or is a question. */
  static boolean requestShaped(String t, int start, int end) {
    if (end - start > MAX_LINE || words(t, start, end) < MIN_WORDS) {
      return false; // paragraphs; link and button labels ("find out more", "download as pdf")
    }
    char first = t.charAt(start);
    if ("#-*>`\"'{([+|•·0123456789".indexOf(first) >= 0) {
      return false; // headings, list items, quotes, code, numbered steps
    }
    char last = t.charAt(end - 1);
    if (last == ':') {
      return false; // a label introducing what follows
    }
    for (int i = start; i + 1 < end - 1; i++) {
      char c = t.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && t.charAt(i + 1) == ' ') {
        return false; // several sentences: a paragraph, not a planted request
      }
      if (c == ':' && t.charAt(i + 1) == ' ' && words(t, start, i) <= 3) {
        return false; // "email address: …", "name: …": a labelled field
      }
    }
    int wordEnd = start;
    while (wordEnd < end && Character.isLetter(t.charAt(wordEnd))) {
      wordEnd++;
    }
    String opener = t.substring(start, wordEnd);
    if (opener.equals("please") || opener.equals("kindly")) {
      // an action on someone's accounts, devices or data, whatever identifiers it names
      int from = wordEnd;
      while (from < end && !Character.isLetter(t.charAt(from))) {
        from++;
      }
      int to = from;
      while (to < end && Character.isLetter(t.charAt(to))) {
        to++;
      }
      return AGENT_ACTIONS.contains(t.substring(from, to)) && !code(t, start, end);
    }
    if (code(t, start, end) || link(t, start, end)) {
      return false;
    }
    if (TASK_VERBS.contains(opener)) {
      // "list of conditions", "review of the year": the verb is a noun here
      return !t.startsWith(" of ", wordEnd);
    }
    return (last == '?' || last == '？') && QUESTION_OPENERS.contains(opener);
  }

  /** Assignments, calls, braces, back-ticks, snake_case and table bars: code or data, not prose. */
  private static boolean code(String t, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = t.charAt(i);
      if (c == '=' || c == '`' || c == '{' || c == '}' || c == '|'
          || (c == '_' && t.lastIndexOf('(', i) < start)
          || (c == '(' && i > start && Character.isLetterOrDigit(t.charAt(i - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Links and addresses: calls to action, judged by their own rules. */
  private static boolean link(String t, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = t.charAt(i);
      if (c == '@' || (c == ':' && t.startsWith("//", i + 1))) {
        return true;
      }
    }
    return false;
  }

  private static int words(String t, int start, int end) {
    int words = 0;
    boolean in = false;
    for (int i = start; i < end; i++) {
      boolean letter = Character.isLetter(t.charAt(i));
      if (letter && !in) {
        words++;
      }
      in = letter;
    }
    return words;
  }
}
