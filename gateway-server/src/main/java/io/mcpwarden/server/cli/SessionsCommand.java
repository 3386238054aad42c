package io.mcpwarden.server.cli;

import io.mcpwarden.core.auth.ResourceServer;
import io.mcpwarden.core.config.GatewayConfig;
import io.mcpwarden.core.config.UpstreamTlsConfig;
import io.mcpwarden.core.tls.TlsMaterialException;
import io.mcpwarden.core.tls.UpstreamTls;
import io.mcpwarden.server.config.ConfigException;
import io.mcpwarden.server.config.ConfigLoader;
import io.mcpwarden.server.edge.SessionAdminHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-warden sessions}: lists and revokes the front sessions of a running gateway through
 * its loopback session admin endpoint.
 *
 * <p>The gateway serves that endpoint only when {@code sessions.admin-token} is configured; this
 * command reads the same token (or {@code --token-file}) and the gateway's address from the same
 * configuration file.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
    description = {"List or revoke sessions of a running gateway (loopback admin endpoint).",
      "Needs sessions.admin-token in the configuration (env:NAME or file:PATH)."},
    subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Revoke.class})
final class SessionsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the gateway is and how to prove the caller may administer it. */
  static final class Connection {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The running gateway's configuration (default: ${WARDEN_HOME}/examples/demo.yaml).")
    Path config;

    @Option(names = "--url", paramLabel = "URL", description = "Gateway base URL, e.g. http://127.0.0.1:7700 (default: from the configuration).")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the admin token (default: sessions.admin-token of the configuration).")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE",
        description = "PEM CA certificate(s) to trust for an https gateway, instead of the JDK's default CAs (e.g. your private CA).")
    Path caCert;

    /**
     * The HTTP client: default trust, or only the CAs of {@code --cacert}. Host names are
     * verified either way, so a private CA never means "trust any name".
     */
    HttpClient client() throws TlsMaterialException {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
      if (caCert != null) {
        b.sslContext(UpstreamTls.sslContext("sessions", new UpstreamTlsConfig(caCert, List.of(), null, null)));
      }
      return b.build();
    }

    /** Sends a request to the admin endpoint; returns the HTTP status and prints the body. */
    int send(String method, String query, PrintWriter out, PrintWriter err) {
      String base = url;
      String token;
      try {
        if (tokenFile != null) {
          token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } else {
          GatewayConfig cfg = ConfigLoader.fromEnvironment().load(config != null ? config : ConfigFiles.defaultConfig());
          if (cfg.sessions().adminTokenRef() == null) {
            err.println("sessions: the configuration has no sessions.admin-token; the admin endpoint is off");
            return 2;
          }
          token = ResourceServer.resolveSecret(cfg.sessions().adminTokenRef(), System.getenv());
          if (base == null) {
            String host = cfg.listen().host().contains(":") ? "[" + cfg.listen().host() + "]" : cfg.listen().host();
            base = cfg.listen().scheme() + "://" + host + ":" + cfg.listen().port();
          }
        }
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return 2;
      } catch (IOException | RuntimeException e) {
        err.println("sessions: cannot read the admin token: " + e.getMessage());
        return 2;
      }
      if (base == null) {
        err.println("sessions: give --url (or --config) to find the gateway");
        return 2;
      }
      URI uri = URI.create(base.replaceAll("/+$", "") + SessionAdminHandler.PATH + (query == null ? "" : "?" + query));
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build();
      HttpClient client;
      try {
        client = client();
      } catch (TlsMaterialException e) {
        err.println("sessions: --cacert " + caCert + ": " + e.getMessage());
        return 2;
      }
      try {
        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
        (resp.statusCode() == 200 ? out : err).println(resp.body());
        return resp.statusCode();
      } catch (SSLException e) {
        err.println("sessions: TLS handshake with " + uri + " failed: " + e.getMessage()
            + (caCert == null ? " (for a gateway certificate from a private CA, give --cacert CA.pem)" : ""));
        return 1;
      } catch (IOException e) {
        err.println("sessions: cannot reach " + uri + ": " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /** {@code mcp-warden sessions list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List live sessions (id, owner, created, last access) as JSON.")
  static final class ListSessions implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Override
    public Integer call() {
      int status = connection.send("GET", null, spec.commandLine().getOut(), spec.commandLine().getErr());
      return status == 200 ? 0 : status == 2 ? 2 : 1;
    }
  }

  /** {@code mcp-warden sessions revoke --user U | --session S}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "End all sessions of a user, or one session; prints {\"revoked\":N}.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @Option(names = "--user", paramLabel = "SUBJECT", description = "The user's subject (all issuers), or 'subject [issuer]'.")
      String user;

      @Option(names = "--session", paramLabel = "ID", description = "One session id.")
      String session;
    }

    @Override
    public Integer call() {
      String query = target.user != null ? "user=" + URLEncoder.encode(target.user, StandardCharsets.UTF_8)
          : "session=" + URLEncoder.encode(target.session, StandardCharsets.UTF_8);
      int status = connection.send("DELETE", query, spec.commandLine().getOut(), spec.commandLine().getErr());
      return status == 200 ? 0 : status == 2 ? 2 : 1;
    }
  }
}
