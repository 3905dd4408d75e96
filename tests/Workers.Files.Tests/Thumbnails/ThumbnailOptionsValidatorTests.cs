using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class ThumbnailOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = Bind([]);

        Assert.Equal(["thumbnail", "preview"], options.EffectiveSizes.Select(size => size.Name));
        Assert.Equal(ThumbnailFormat.WebP, options.Format);
        Assert.Equal(33_000_000, options.MaxPixels);
        Assert.Equal(Environment.ProcessorCount, options.MaxConcurrentDecodes);
    }

    [Fact]
    public void Bind_ConfiguredSizes_ReplaceTheDefaultsRatherThanAppend()
    {
        var options = Bind(new()
        {
            ["Files:Thumbnails:Sizes:0:Name"] = "small",
            ["Files:Thumbnails:Sizes:0:Bound"] = "200",
            ["Files:Thumbnails:Format"] = "jpeg",
        });

        Assert.Equal([("small", 200)], options.EffectiveSizes.Select(size => (size.Name, size.Bound)));
        Assert.Equal(ThumbnailFormat.Jpeg, options.Format);
    }

    [Fact]
    public void Validate_BadSizes_FailsNamingEachSetting()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Files:Thumbnails:Sizes:0:Name"] = "Thumb nail",
            ["Files:Thumbnails:Sizes:0:Bound"] = "360",
            ["Files:Thumbnails:Sizes:1:Name"] = "big",
            ["Files:Thumbnails:Sizes:1:Bound"] = "20000",
            ["Files:Thumbnails:Sizes:2:Name"] = "big",
            ["Files:Thumbnails:Sizes:2:Bound"] = "500",
        }));

        Assert.Contains(exception.Failures, failure => failure.StartsWith("Files:Thumbnails:Sizes:0:Name 'Thumb nail'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.StartsWith("Files:Thumbnails:Sizes:1:Bound 20000", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.StartsWith("Files:Thumbnails:Sizes:2:Name 'big' is used by another size", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Files:Thumbnails:Quality", "0", "Files:Thumbnails:Quality must be between 1 and 100.")]
    [InlineData("Files:Thumbnails:WebPEffort", "7", "Files:Thumbnails:WebPEffort must be between 0 and 6.")]
    [InlineData("Files:Thumbnails:MaxPixels", "0", "Files:Thumbnails:MaxPixels must be between 1 and 1000000000.")]
    [InlineData("Files:Thumbnails:MaxConcurrentDecodes", "0", "Files:Thumbnails:MaxConcurrentDecodes must be between 1 and 256.")]
    [InlineData("Files:Thumbnails:MaxInputBytes", "0", "Files:Thumbnails:MaxInputBytes must be between 1 and 4294967296.")]
    public void Validate_OutOfRangeNumber_FailsNamingTheSetting(string key, string value, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(exception.Failures, failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    private static ThumbnailOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddThumbnailsAndMetadata(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ThumbnailOptions>>().Value;
    }
}
