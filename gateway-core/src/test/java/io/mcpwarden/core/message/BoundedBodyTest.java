package io.mcpwarden.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  private static byte[] read(int actual, long declared, int limit) throws IOException {
    return BoundedBody.read(new ByteArrayInputStream(bytes(actual)), declared, limit);
  }

  @Test
  void bodyOfTheDeclaredLengthIsReadWhole() throws IOException {
    assertThat(read(200, 200, 4_000_001)).hasSize(200);
    assertThat(read(0, 0, 4_000_001)).isEmpty();
  }

  @Test
  void unknownLengthReadsUpToTheLimit() throws IOException {
    assertThat(read(200, -1, 4_000_001)).hasSize(200);
    assertThat(read(5_000, -1, 1_001)).hasSize(1_001);
  }

  @Test
  void bodyLongerThanDeclaredIsStillReadToTheLimitSoOversizeIsSeen() throws IOException {
    // e.g. a decoded body longer than its sender's Content-Length: same result as readNBytes(limit)
    assertThat(read(500, 200, 4_000_001)).hasSize(500);
    assertThat(read(5_000, 200, 1_001)).hasSize(1_001);
  }

  @Test
  void bodyShorterThanDeclaredEndsAtItsEnd() throws IOException {
    assertThat(read(100, 200, 4_000_001)).hasSize(100);
  }

  @Test
  void declaredAtOrAboveTheLimitReadsAtMostTheLimit() throws IOException {
    assertThat(read(5_000, 5_000, 1_001)).hasSize(1_001);
    assertThat(read(1_000, 1_000, 1_001)).hasSize(1_000);
  }
}
