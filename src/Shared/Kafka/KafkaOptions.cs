using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Shared.Kafka;

/// <summary>Connection to the Kafka cluster (configuration section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>The value of <see cref="BootstrapServers"/> that starts an in-process embedded cluster.</summary>
    public const string Embedded = "embedded";

    /// <summary>Comma-separated host:port list, or <c>embedded</c> for the in-process mock cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Consumer group; defaults to <c>quikapp-&lt;worker&gt;</c>.</summary>
    public string? GroupId { get; set; }

    /// <summary>Client id sent to the brokers; defaults to the worker name and host.</summary>
    public string? ClientId { get; set; }

    /// <summary>Plaintext, Ssl, SaslPlaintext or SaslSsl.</summary>
    [RegularExpression("^(?i)(Plaintext|Ssl|SaslPlaintext|SaslSsl)$",
        ErrorMessage = "Kafka:SecurityProtocol must be one of Plaintext, Ssl, SaslPlaintext, SaslSsl.")]
    public string SecurityProtocol { get; set; } = "Plaintext";

    /// <summary>Plain, ScramSha256, ScramSha512 or OAuthBearer (with a SASL protocol).</summary>
    [RegularExpression("^(?i)(Plain|ScramSha256|ScramSha512|OAuthBearer|Gssapi)$",
        ErrorMessage = "Kafka:SaslMechanism must be one of Plain, ScramSha256, ScramSha512, OAuthBearer, Gssapi.")]
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>Never logged.</summary>
    public string? SaslPassword { get; set; }

    /// <summary>CA bundle for TLS, when the brokers' certificates are not in the system store.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>
    /// <c>classic</c> (JoinGroup/SyncGroup with the cooperative-sticky assignor) or <c>consumer</c>
    /// (KIP-848, broker-side incremental assignment; needs Kafka 4.0+).
    /// </summary>
    [RegularExpression("^(?i)(classic|consumer)$", ErrorMessage = "Kafka:GroupProtocol must be classic or consumer.")]
    public string GroupProtocol { get; set; } = "classic";

    [Range(1000, 3_600_000)]
    public int SessionTimeoutMs { get; set; } = 45_000;

    [Range(1000, 86_400_000)]
    public int MaxPollIntervalMs { get; set; } = 300_000;

    /// <summary>How often stored offsets are committed in the background (they are also committed on revoke and shutdown).</summary>
    [Range(100, 600_000)]
    public int AutoCommitIntervalMs { get; set; } = 2_000;

    /// <summary>Where a group with no committed offset starts: earliest (nothing skipped) or latest.</summary>
    [RegularExpression("^(?i)(earliest|latest)$", ErrorMessage = "Kafka:AutoOffsetReset must be earliest or latest.")]
    public string AutoOffsetReset { get; set; } = "earliest";

    /// <summary>
    /// The producer's <c>message.max.bytes</c>: the largest record a worker produces. The default is the broker's default
    /// <c>message.max.bytes</c> (1,048,588). A dead letter whose copy would be larger is produced as a reference instead.
    /// </summary>
    [Range(10_000, 100_000_000)]
    public int MaxMessageBytes { get; set; } = 1_048_588;

    /// <summary>Brokers of the embedded cluster (only with <c>BootstrapServers=embedded</c>).</summary>
    [Range(1, 9)]
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>Extra librdkafka properties applied to every client (escape hatch; keys as in librdkafka's CONFIGURATION.md).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    public bool IsEmbedded => string.Equals(BootstrapServers.Trim(), Embedded, StringComparison.OrdinalIgnoreCase);
}
