package io.mcpwarden.core.detect.text;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A logistic-regression text classifier over {@link HashedFeaturizer} features: probability that a
 * text belongs to the positive class (attack).
 *
 * <p>Linear over hashed n-grams because it runs offline on a CPU in microseconds, needs no native
 * code, and ships as one small file. Models are resources named
 * {@code /io/mcpwarden/core/detect/text/models/NAME.lm.gz}, written by the training program in
 * gateway-bench ({@code io.mcpwarden.bench.detect.TrainTextModel}). Weights are stored as 16-bit
 * floats to keep the file small. Immutable and thread-safe.
 */
public final class LinearModel {
  private static final int MAGIC = 0x4D574C4D; // "MWLM"
  private static final int VERSION = 1;
  private static final String RESOURCE_DIR = "/io/mcpwarden/core/detect/text/models/";

  private final String name;
  private final HashedFeaturizer featurizer;
  private final float bias;
  private final float[] weights;

  private LinearModel(String name, FeatureSpec spec, float bias, float[] weights) {
    if (weights.length != spec.dimensions()) {
      throw new IllegalArgumentException(
          "model " + name + " has " + weights.length + " weights for " + spec.dimensions() + " dimensions");
    }
    this.name = name;
    this.featurizer = new HashedFeaturizer(spec);
    this.bias = bias;
    this.weights = weights;
  }

  /** A model from trained parameters (the weights array is copied). */
  public static LinearModel of(String name, FeatureSpec spec, float bias, float[] weights) {
    return new LinearModel(name, spec, bias, weights.clone());
  }

  /**
   * The model shipped as resource {@code NAME.lm.gz}.
   *
   * @throws IllegalStateException when no such model is on the class path or it is corrupt: a
   *     detector without its model must not start (fail closed)
   */
  public static LinearModel load(String name) {
    String path = RESOURCE_DIR + name + ".lm.gz";
    try (InputStream in = LinearModel.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no model resource " + path);
      }
      return read(in);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("cannot read model resource " + path + ": " + e.getMessage(), e);
    }
  }

  /** Reads a model written by {@link #write}. */
  public static LinearModel read(InputStream raw) throws IOException {
    // buffered: DataInputStream reads a byte at a time, and a byte read from GZIPInputStream is slow
    DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a model file");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported model version " + version);
    }
    String name = in.readUTF();
    FeatureSpec spec = new FeatureSpec(in.readInt(), in.readInt(), in.readInt(), in.readInt());
    float bias = in.readFloat();
    float[] weights = new float[spec.dimensions()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Float.float16ToFloat(in.readShort());
    }
    return new LinearModel(name, spec, bias, weights);
  }

  /** Writes the model (gzip; weights as 16-bit floats). */
  public void write(OutputStream raw) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(raw);
    DataOutputStream out = new DataOutputStream(gz);
    FeatureSpec spec = featurizer.spec();
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(name);
    out.writeInt(spec.bits());
    out.writeInt(spec.maxWordNgram());
    out.writeInt(spec.minCharNgram());
    out.writeInt(spec.maxCharNgram());
    out.writeFloat(bias);
    for (float w : weights) {
      out.writeShort(Float.floatToFloat16(w));
    }
    out.flush();
    gz.finish();
  }

  public String name() {
    return name;
  }

  public HashedFeaturizer featurizer() {
    return featurizer;
  }

  /** Probability of the positive class for already-computed features. */
  public double probability(SparseVector features) {
    double z = bias + features.dot(weights);
    return 1 / (1 + Math.exp(-z));
  }

  /** Probability of the positive class for a text (normalise it first). */
  public double probability(String normalisedText) {
    return probability(featurizer.featurize(normalisedText));
  }
}
