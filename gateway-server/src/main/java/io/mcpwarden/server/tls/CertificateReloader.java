package io.mcpwarden.server.tls;

import io.mcpwarden.core.tls.KeyMaterial;
import io.mcpwarden.core.tls.TlsMaterialException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the listener's certificate and key files and swaps them into the running TLS factory
 * when their content changes.
 *
 * <p>Jetty's reload replaces the SSL context for new handshakes only: open connections keep
 * theirs, so a renewal drops nothing. Content is compared (not modification times), which also
 * catches a symlink swap and writes within one timestamp tick; a pair that does not load or does
 * not match (a tool wrote the certificate but not yet the key) is skipped and retried at the
 * next poll while the old certificate stays in use.
 */
final class CertificateReloader extends AbstractLifeCycle {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final SslContextFactory.Server ssl;
  private final Path certFile;
  private final Path keyFile;
  private final Duration interval;
  private ScheduledExecutorService timer;
  /** Digest of the pair in use. */
  private byte[] current;
  /** Digest of the last pair that failed, so one bad write is logged once, not every poll. */
  private byte[] lastFailure;
  private volatile int reloads;

  CertificateReloader(SslContextFactory.Server ssl, Path certFile, Path keyFile, Duration interval) {
    this.ssl = ssl;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.interval = interval;
    // The files may have changed since they were loaded; then the first poll reloads them.
    this.current = digestOrNull();
  }

  @Override
  protected void doStart() {
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("tls-reload").factory());
    long millis = Math.max(50, interval.toMillis());
    timer.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** How many times a new certificate was installed. */
  int reloads() {
    return reloads;
  }

  /** Checks the files once; reloads when their content changed and the new pair is usable. */
  synchronized void poll() {
    try {
      byte[] now = digestOrNull();
      if (now == null || Arrays.equals(now, current) || Arrays.equals(now, lastFailure)) {
        return;
      }
      KeyMaterial material;
      try {
        material = KeyMaterial.load(certFile, keyFile);
      } catch (TlsMaterialException e) {
        lastFailure = now;
        LOG.warn("listen.tls: changed certificate files not loaded, the previous certificate stays in use: {}", e.getMessage());
        return;
      }
      ssl.reload(f -> EdgeListener.install(f, material));
      current = now;
      lastFailure = null;
      reloads++;
      EdgeListener.warnIfExpiring(material);
      LOG.info("listen.tls: certificate reloaded: {}", material.describe());
    } catch (Exception e) {
      // Never let the timer die: a reload that throws is retried at the next change.
      LOG.warn("listen.tls: certificate reload failed, the previous certificate stays in use: {}", e.toString());
    }
  }

  private byte[] digestOrNull() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readAllBytes(certFile));
      md.update((byte) 0);
      md.update(Files.readAllBytes(keyFile));
      return md.digest();
    } catch (IOException e) {
      return null; // mid-replacement: try again at the next poll
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
