package io.mcpwarden.core.detect;

import java.util.List;

/**
 * Finds secrets or personal data in text, as typed spans that can be redacted or masked.
 *
 * <p>Matches are returned in text order and never overlap.
 */
public interface SensitiveDataScanner {

  List<SensitiveMatch> scan(String text);
}
