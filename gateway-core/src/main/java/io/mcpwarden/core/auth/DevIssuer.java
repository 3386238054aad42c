package io.mcpwarden.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A token issuer for local trials only: an EC P-256 key kept in a file, its JWKS and metadata
 * served by the gateway itself under {@value #PATH}, and tokens minted on the command line.
 *
 * <p>It lets someone try the secured gateway without an identity provider. It is no
 * authorization server (no login, no consent, no client registration), which is why the gateway
 * runs it on loopback addresses only; production trusts a real issuer and never needs this.
 */
public final class DevIssuer {
  /** Where the issuer lives on the gateway; also its issuer URL's path. */
  public static final String PATH = "/.dev-issuer";
  /** The key set document under {@link #PATH}. */
  public static final String JWKS_PATH = PATH + "/jwks.json";
  /** The client id written into minted tokens. */
  public static final String CLIENT_ID = "mcp-warden-dev-token";
  private static final Duration MAX_TTL = Duration.ofDays(1);

  private final String issuer;
  private final ECKey key;
  private final Clock clock;

  private DevIssuer(String issuer, ECKey key, Clock clock) {
    this.issuer = issuer;
    this.key = key;
    this.clock = clock;
  }

  /**
   * Loads the key from {@code keyFile}, creating it (mode 0600) when missing.
   *
   * @param gatewayOrigin the gateway's origin, e.g. {@code http://127.0.0.1:7700}
   */
  public static DevIssuer open(Path keyFile, String gatewayOrigin, Clock clock) throws IOException {
    return new DevIssuer(gatewayOrigin + PATH, loadOrCreate(keyFile), clock);
  }

  static ECKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      ECKey fresh;
      try {
        fresh = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
            .keyIDFromThumbprint(true).generate();
      } catch (JOSEException e) {
        throw new IOException("cannot generate the development issuer key: " + e.getMessage(), e);
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".dev-issuer", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: rely on the directory's permissions.
        }
        Files.writeString(tmp, fresh.toJSONString(), StandardCharsets.UTF_8);
        Files.move(tmp, file); // never replaces: a key another process just wrote wins
      } catch (FileAlreadyExistsException e) {
        // Another process created it first: use that one.
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    try {
      JWK jwk = JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())) {
        throw new IOException(file + " does not hold a private EC P-256 key");
      }
      return ec;
    } catch (ParseException e) {
      throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /** The public key set, as served at {@link #JWKS_PATH}. */
  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /** Authorization server metadata (RFC 8414 / OIDC discovery subset): issuer and keys only. */
  public ObjectNode metadata() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("issuer", issuer);
    o.put("jwks_uri", issuer.substring(0, issuer.length() - PATH.length()) + JWKS_PATH);
    o.putArray("id_token_signing_alg_values_supported").add("ES256");
    o.putArray("response_types_supported");
    o.putArray("subject_types_supported").add("public");
    o.put("service_documentation", "Development issuer of MCP Warden: tokens come from `mcp-warden dev-token`; loopback only.");
    return o;
  }

  /**
   * Mints an access token (RFC 9068 shape, ES256, {@code typ: at+jwt}).
   *
   * @param subject the {@code sub}
   * @param scopes granted scopes (may be empty)
   * @param audience the {@code aud}, normally the gateway's resource URI
   * @param ttl lifetime, at most one day
   */
  public String mint(String subject, List<String> scopes, String audience, Duration ttl) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("a subject is needed");
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("lifetime must be between 1 second and 1 day");
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(audience)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim("client_id", CLIENT_ID);
    if (!scopes.isEmpty()) {
      claims.claim("scope", String.join(" ", scopes));
    }
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
