package io.mcpwarden.core.detect.text;

/**
 * The shape of the hashed features a {@link LinearModel} was trained on.
 *
 * <p>Stored inside each model file so that scoring always featurises exactly as training did.
 *
 * @param bits the feature space has {@code 2^bits} dimensions
 * @param maxWordNgram word n-grams from 1 up to this length (0: no word features)
 * @param minCharNgram shortest character n-gram (0: no character features)
 * @param maxCharNgram longest character n-gram
 */
public record FeatureSpec(int bits, int maxWordNgram, int minCharNgram, int maxCharNgram) {

  /** Words and word pairs, plus character 3- to 5-grams, in 2^18 dimensions. */
  public static final FeatureSpec STANDARD = new FeatureSpec(18, 2, 3, 5);

  public FeatureSpec {
    if (bits < 8 || bits > 24) {
      throw new IllegalArgumentException("bits must be in [8, 24]: " + bits);
    }
    if (maxWordNgram < 0 || maxWordNgram > 3 || minCharNgram < 0 || maxCharNgram < minCharNgram
        || maxCharNgram > 8) {
      throw new IllegalArgumentException("bad n-gram ranges: " + maxWordNgram + ", " + minCharNgram
          + ".." + maxCharNgram);
    }
  }

  /** Number of dimensions. */
  public int dimensions() {
    return 1 << bits;
  }
}
