package io.mcpwarden.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A tiny identity provider for unit tests: keys generated in the test, its discovery document and
 * JWKS served by the JDK's HTTP server on loopback, counting every fetch.
 */
final class FakeIdp implements AutoCloseable {
  final HttpServer server;
  final String issuer;
  final RSAKey rsa;
  final ECKey ec;
  final List<JWK> published = new ArrayList<>();
  final ConcurrentHashMap<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  volatile String discoveryIssuer;

  /** Generated once per test run: RSA key generation is slow. */
  static final class Keys {
    static final RSAKey RSA;
    static final ECKey EC;
    static final RSAKey OTHER_RSA;

    static {
      try {
        RSA = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
        EC = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
        OTHER_RSA = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      } catch (JOSEException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Keys() {}
  }

  FakeIdp() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    discoveryIssuer = issuer;
    rsa = Keys.RSA;
    ec = Keys.EC;
    published.add(rsa.toPublicJWK());
    published.add(ec.toPublicJWK());
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      String body = null;
      if (path.equals("/realms/test/.well-known/openid-configuration")) {
        body = "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}";
      } else if (path.equals("/realms/test/certs")) {
        synchronized (published) {
          body = new JWKSet(List.copyOf(published)).toString();
        }
      }
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
  }

  int jwksFetches() {
    AtomicInteger n = hits.get("/realms/test/certs");
    return n == null ? 0 : n.get();
  }

  void publish(JWK key) {
    synchronized (published) {
      published.add(key.toPublicJWK());
    }
  }

  /** Claims of a good token for {@code aud} at {@code now}. */
  JWTClaimsSet.Builder claims(String aud, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject("alice")
        .audience(aud)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", "mcp:tools mcp:read");
  }

  String rs256(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims, h -> {});
  }

  String es256(JWTClaimsSet claims) {
    return sign(ec, JWSAlgorithm.ES256, claims, h -> {});
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
    JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt"));
    header.accept(h);
    SignedJWT jwt = new SignedJWT(h.build(), claims);
    try {
      if (key instanceof RSAKey r) {
        jwt.sign(new RSASSASigner(r));
      } else {
        jwt.sign(new ECDSASigner((ECKey) key));
      }
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
