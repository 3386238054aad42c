package io.mcpwarden.core.detect.text;

/**
 * A sparse feature vector: ascending distinct indices and their values.
 *
 * <p>Arrays rather than a map because scoring is a tight loop run once per tool or result.
 *
 * @param indices feature indices, strictly ascending
 * @param values the value of each index
 */
public record SparseVector(int[] indices, float[] values) {

  public SparseVector {
    if (indices.length != values.length) {
      throw new IllegalArgumentException("indices and values differ in length");
    }
  }

  /** Number of non-zero features. */
  public int size() {
    return indices.length;
  }

  /** Dot product with a dense weight vector. */
  public double dot(float[] weights) {
    double sum = 0;
    for (int i = 0; i < indices.length; i++) {
      sum += weights[indices[i]] * values[i];
    }
    return sum;
  }
}
