using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Shared.Health;

/// <summary>Where the health and metrics endpoints listen (configuration section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>TCP port of <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>; 0 picks a free port.</summary>
    [Range(0, 65535, ErrorMessage = "Health:Port must be between 0 and 65535.")]
    public int Port { get; set; } = 8080;

    /// <summary>Address to bind: <c>*</c> for all interfaces (containers), <c>127.0.0.1</c> for local runs.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BindAddress { get; set; } = "*";
}
