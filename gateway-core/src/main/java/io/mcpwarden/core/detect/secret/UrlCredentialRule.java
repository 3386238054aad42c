package io.mcpwarden.core.detect.secret;

import io.mcpwarden.core.detect.SensitiveMatch;
import io.mcpwarden.core.detect.SpanResolver.Candidate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A password in the userinfo of a URL ({@code scheme://user:password@host}): {@code database-url}
 * for database and broker schemes (connection strings), {@code url-credentials} for the rest.
 *
 * <p>Only the password is reported, so a redacted connection string still tells the reader which
 * user and host it was for.
 */
final class UrlCredentialRule implements SecretRule {
  private static final Pattern USERINFO =
      Pattern.compile(
          "(?<![\\w+.-])(?<scheme>[a-zA-Z][a-zA-Z0-9+.:-]{1,40})://(?<user>[^\\s:/?#@\"'<>\\[\\]]{0,128})"
              + ":(?<pass>[^\\s/?#@\"'<>]{1,256})@(?=[A-Za-z0-9\\[])");

  private static final Set<String> DATABASE_SCHEMES =
      Set.of(
          "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis",
          "rediss", "amqp", "amqps", "mssql", "sqlserver", "oracle", "cockroachdb", "clickhouse",
          "cassandra", "neo4j", "neo4j+s", "bolt", "couchbase", "couchbases", "db2", "snowflake",
          "kafka", "nats", "memcached", "elasticsearch", "influxdb", "sqlite");

  @Override
  public List<String> keywords() {
    return List.of("://");
  }

  @Override
  public void find(String text, Keywords.Found found, List<Candidate> out) {
    if (!found.has("://")) {
      return;
    }
    Matcher m = USERINFO.matcher(text);
    while (m.find()) {
      String user = m.group("user");
      String pass = m.group("pass");
      if (pass.equalsIgnoreCase(user) || LookAlikes.isLookAlike(pass)) {
        continue;
      }
      String scheme = m.group("scheme").toLowerCase(Locale.ROOT);
      if (scheme.startsWith("jdbc:")) {
        scheme = scheme.substring(5);
      }
      String type = DATABASE_SCHEMES.contains(scheme) ? "database-url" : "url-credentials";
      out.add(
          new Candidate(
              new SensitiveMatch(SensitiveMatch.Kind.SECRET, type, m.start("pass"), m.end("pass")),
              80));
    }
  }
}
