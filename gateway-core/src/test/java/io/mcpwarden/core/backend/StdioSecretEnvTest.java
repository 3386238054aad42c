package io.mcpwarden.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpwarden.core.config.ServerConfig;
import io.mcpwarden.core.config.StdioConfig;
import io.mcpwarden.core.message.JsonCodec;
import io.mcpwarden.core.message.JsonRpc;
import io.mcpwarden.core.secret.Secret;
import io.mcpwarden.core.secret.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stdio server gets its secret through its environment only (A-17): the configuration holds a
 * {@code ${secret:NAME}} reference, the child sees the value in its env, and neither its argv
 * nor any other server's env holds it.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(30)
class StdioSecretEnvTest {
  private static final String SCRIPT = """
      #!/bin/sh
      while IFS= read -r line; do
        id=${line##*\\"id\\":}
        id=${id%%[,\\}]*}
        case "$line" in
          *'"method":"initialize"'*)
            printf '%s\\n' "{\\"jsonrpc\\":\\"2.0\\",\\"id\\":$id,\\"result\\":{\\"protocolVersion\\":\\"2025-11-25\\",\\"capabilities\\":{},\\"serverInfo\\":{\\"name\\":\\"env\\",\\"version\\":\\"1\\"}}}" ;;
          *'"method":"env"'*)
            names=$(/usr/bin/env | /usr/bin/sed 's/=.*//' | /usr/bin/tr '\\n' ' ')
            printf '%s\\n' "{\\"jsonrpc\\":\\"2.0\\",\\"id\\":$id,\\"result\\":{\\"token\\":\\"${UPSTREAM_TOKEN-}\\",\\"auth\\":\\"${AUTH_HEADER-}\\",\\"names\\":\\"$names\\",\\"args\\":\\"$*\\"}}" ;;
        esac
      done
      """;

  @TempDir Path dir;

  @Test
  void theSecretReachesTheChildEnvironmentAndNothingElse() throws Exception {
    Path script = dir.resolve("env-server.sh");
    Files.writeString(script, SCRIPT);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("UPSTREAM_TOKEN", "${secret:gh-token}");
    env.put("AUTH_HEADER", "token ${secret:gh-token}");
    StdioConfig stdio = new StdioConfig(List.of("/bin/sh", script.toString(), "--flag"), env, List.of(), null,
        StdioConfig.Isolation.PER_SESSION, 1 << 20, Duration.ofSeconds(1));
    ServerConfig config = new ServerConfig("gh", ServerConfig.Transport.STDIO, true, Duration.ofSeconds(10), Duration.ofSeconds(10), stdio, null);
    SecretResolver secrets = SecretResolver.of(Map.of("gh-token", Secret.of("ghp_s3cr3t"), "other-server-secret", Secret.of("not-for-gh")));

    try (StdioBackend backend = new StdioBackend(config, new JsonCodec(64, 1 << 20), secrets)) {
      backend.start();
      UpstreamSession session = backend.open(new HttpStreamableBackendTest.RecordingListener(), JsonRpc.NODES.objectNode());
      ObjectNode reply = session.call(JsonRpc.request(JsonRpc.NODES.numberNode(1), "env", null), RelatedSink.NONE).await(Duration.ofSeconds(10));
      ObjectNode result = (ObjectNode) reply.get("result");
      assertThat(result.get("token").asString()).isEqualTo("ghp_s3cr3t");
      assertThat(result.get("auth").asString()).isEqualTo("token ghp_s3cr3t");
      assertThat(result.get("args").asString()).isEqualTo("--flag").doesNotContain("s3cr3t");
      assertThat(result.get("names").asString().trim().split(" ")).doesNotContain("MCP_WARDEN_SECRETS_KEY");
      assertThat(result.toString()).doesNotContain("not-for-gh");
      session.close();
    }
    // The configuration itself still holds only the reference.
    assertThat(config.toString()).contains("${secret:gh-token}").doesNotContain("ghp_s3cr3t");
  }
}
