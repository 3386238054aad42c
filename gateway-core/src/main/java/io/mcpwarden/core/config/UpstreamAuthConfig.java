package io.mcpwarden.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway authenticates to one Streamable HTTP upstream ({@code servers.<name>.auth}).
 *
 * <p>The gateway never forwards the front client's token (MCP: no token passthrough); it
 * presents a credential of its own, chosen here per upstream. Secrets appear only as names of
 * entries in the secret store, never as values, so this record is safe to print.
 */
public sealed interface UpstreamAuthConfig {

  /** No credential (the default). */
  UpstreamAuthConfig NONE = new None();

  /** The secret store names this configuration refers to. */
  List<String> secretNames();

  /** No credential. */
  record None() implements UpstreamAuthConfig {
    @Override
    public List<String> secretNames() {
      return List.of();
    }
  }

  /**
   * A fixed credential from the secret store, sent on every request: a bearer token or an API
   * key header.
   *
   * @param header the header that carries it ({@code Authorization} by default)
   * @param scheme prefix before the value ({@code Bearer} for Authorization by default); null for
   *     none
   * @param secretName the secret holding the value
   */
  record Static(String header, String scheme, String secretName) implements UpstreamAuthConfig {
    @Override
    public List<String> secretNames() {
      return List.of(secretName);
    }
  }

  /** How the gateway authenticates itself as an OAuth client at the token endpoint. */
  enum ClientAuthMethod {
    /** HTTP Basic with client id and secret (RFC 6749 §2.3.1, the default). */
    CLIENT_SECRET_BASIC,
    /** client_id and client_secret in the form body. */
    CLIENT_SECRET_POST
  }

  /**
   * The gateway as an OAuth client of an authorization server.
   *
   * @param tokenEndpoint the AS token endpoint (https, or http on loopback only)
   * @param clientId the gateway's client id there
   * @param clientSecretName the secret holding the client secret
   * @param method how the client authenticates
   * @param timeout connect and read timeout of a token request
   */
  record TokenEndpoint(URI tokenEndpoint, String clientId, String clientSecretName, ClientAuthMethod method, Duration timeout) {}

  /**
   * What the issued token is for, and how long it is used.
   *
   * @param scopes requested scopes (may be empty)
   * @param resources RFC 8707 resource indicators: the upstream's URL
   * @param audiences requested audiences ({@code audience} parameter)
   * @param refreshSkew a token is replaced this long before it expires
   */
  record TokenTarget(List<String> scopes, List<URI> resources, List<String> audiences, Duration refreshSkew) {
    public TokenTarget {
      scopes = List.copyOf(scopes);
      resources = List.copyOf(resources);
      audiences = List.copyOf(audiences);
    }
  }

  /**
   * OAuth 2 client credentials grant: one token for the gateway itself, shared by all users.
   */
  record ClientCredentials(TokenEndpoint endpoint, TokenTarget target) implements UpstreamAuthConfig {
    @Override
    public List<String> secretNames() {
      return List.of(endpoint.clientSecretName());
    }
  }

  /**
   * RFC 8693 token exchange: the front client's validated token is the subject token of an
   * exchange at the AS, and the issued token, bound to the upstream's audience, goes upstream.
   *
   * @param maxCachedSubjects bound on cached exchanged tokens (one per user)
   */
  record TokenExchange(TokenEndpoint endpoint, TokenTarget target, int maxCachedSubjects) implements UpstreamAuthConfig {
    @Override
    public List<String> secretNames() {
      return List.of(endpoint.clientSecretName());
    }
  }
}
