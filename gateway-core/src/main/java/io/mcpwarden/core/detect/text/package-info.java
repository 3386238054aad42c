/**
 * Shared text layers for every detector: {@link io.mcpwarden.core.detect.text.TextNormaliser}
 * (Unicode NFKC, invisible and bidi controls, look-alike letters, comments, encoded payloads, with
 * {@link io.mcpwarden.core.detect.text.TextSignal}s recording each trick), {@link
 * io.mcpwarden.core.detect.text.HashedFeaturizer} (hashed word and character n-grams) and {@link
 * io.mcpwarden.core.detect.text.LinearModel} (an offline logistic-regression classifier loaded from
 * a named resource).
 *
 * <p>Typical use: {@code LinearModel m = LinearModel.load("tool-description");
 * NormalisedText t = TextNormaliser.normalise(raw); double p = m.probability(t.inspectable());}
 */
package io.mcpwarden.core.detect.text;
