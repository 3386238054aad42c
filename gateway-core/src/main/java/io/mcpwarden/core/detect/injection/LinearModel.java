package io.mcpwarden.core.detect.injection;

import java.io.ByteArrayOutputStream;
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
 * A logistic-regression model over {@link SegmentFeatures}: one weight per hash bucket and a bias.
 *
 * <p>Why a plain linear model: it runs in microseconds per sentence with no native code, and the
 * file is small (only non-zero weights are stored, quantised to 16 bits, gzipped).
 *
 * @param weights one weight per bucket
 * @param bias the intercept
 */
record LinearModel(float[] weights, float bias) {
  private static final int MAGIC = 0x4D57494A; // "MWIJ"

  double probability(SegmentFeatures.Vector x) {
    double z = bias;
    int[] idx = x.indices();
    for (int i = 0; i < x.size(); i++) {
      z += weights[idx[i]];
    }
    // all values of a vector are equal, so one multiplication suffices
    z = bias + (z - bias) * x.value();
    return 1.0 / (1.0 + Math.exp(-z));
  }

  static LinearModel read(InputStream in) throws IOException {
    // buffered: DataInputStream reads a byte at a time, and a byte read from GZIPInputStream is slow
    try (DataInputStream data =
        new DataInputStream(new BufferedInputStream(new GZIPInputStream(in), 1 << 16))) {
      if (data.readInt() != MAGIC) {
        throw new IOException("not an injection model file");
      }
      int dims = data.readInt();
      if (dims != SegmentFeatures.DIMENSIONS) {
        throw new IOException("model has " + dims + " buckets, features have " + SegmentFeatures.DIMENSIONS);
      }
      float bias = data.readFloat();
      float scale = data.readFloat();
      int count = data.readInt();
      float[] w = new float[dims];
      int at = -1;
      for (int i = 0; i < count; i++) {
        at += data.readUnsignedShort() + 1;
        w[at] = data.readShort() * scale;
      }
      return new LinearModel(w, bias);
    }
  }

  /** Loads the model bundled with this package. */
  static LinearModel bundled() {
    try (InputStream in = LinearModel.class.getResourceAsStream("injection-model.bin")) {
      if (in == null) {
        throw new IllegalStateException("injection-model.bin missing from the class path");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(OutputStream out) throws IOException {
    float max = 0;
    for (float w : weights) {
      max = Math.max(max, Math.abs(w));
    }
    float scale = max == 0 ? 1 : max / Short.MAX_VALUE;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int count = 0;
    try (DataOutputStream d = new DataOutputStream(body)) {
      int last = -1;
      for (int i = 0; i < weights.length; i++) {
        short q = (short) Math.round(weights[i] / scale);
        if (q == 0) {
          continue;
        }
        // gaps above 65535 are bridged with zero-valued entries
        while (i - last - 1 > 0xFFFF) {
          last += 0x10000;
          d.writeShort(0xFFFF);
          d.writeShort(0);
          count++;
        }
        d.writeShort(i - last - 1);
        d.writeShort(q);
        last = i;
        count++;
      }
    }
    try (DataOutputStream d = new DataOutputStream(new GZIPOutputStream(out))) {
      d.writeInt(MAGIC);
      d.writeInt(weights.length);
      d.writeFloat(bias);
      d.writeFloat(scale);
      d.writeInt(count);
      body.writeTo(d);
    }
  }
}
