using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Scanning;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>Files:Clamd binds and validates at start-up, and a bad setting is named in the failure.</summary>
public sealed class ClamdOptionsTests
{
    [Fact]
    public void AddClamdScanning_NoConfiguration_UsesTheDefaults()
    {
        var options = Resolve([]);

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(3310, options.Port);
        Assert.Null(options.UnixSocket);
        Assert.Equal(64 * 1024, options.ChunkSize);
        Assert.Equal(25L * 1024 * 1024, options.MaxStreamLength);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ScanTimeout);
    }

    [Fact]
    public void AddClamdScanning_Configured_BindsFilesClamd()
    {
        var options = Resolve(new()
        {
            ["Files:Clamd:UnixSocket"] = "/run/clamav/clamd.ctl",
            ["Files:Clamd:ScanTimeout"] = "00:02:00",
            ["Files:Clamd:MaxStreamLength"] = "104857600",
            ["Files:Clamd:MaxConcurrentScans"] = "8",
        });

        Assert.Equal("/run/clamav/clamd.ctl", options.UnixSocket);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ScanTimeout);
        Assert.Equal(100L * 1024 * 1024, options.MaxStreamLength);
        Assert.Equal(8, options.MaxConcurrentScans);
    }

    [Theory]
    [InlineData("Files:Clamd:Port", "0")]
    [InlineData("Files:Clamd:Host", "")]
    [InlineData("Files:Clamd:UnixSocket", "clamd.ctl")]
    [InlineData("Files:Clamd:ConnectTimeout", "00:00:00")]
    [InlineData("Files:Clamd:ScanTimeout", "-00:00:01")]
    [InlineData("Files:Clamd:HealthCheckTimeout", "00:00:00")]
    [InlineData("Files:Clamd:ChunkSize", "16")]
    [InlineData("Files:Clamd:MaxStreamLength", "0")]
    [InlineData("Files:Clamd:MaxStreamLength", "8589934592")]
    [InlineData("Files:Clamd:MaxConcurrentScans", "0")]
    public void AddClamdScanning_BadSetting_FailsNamingTheSetting(string key, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    private static ClamdOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddClamdScanning();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ClamdOptions>>().Value;
    }
}
