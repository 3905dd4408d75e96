using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>Validates a consumer's options, nested retry settings included, naming the offending setting.</summary>
internal sealed class EventConsumerOptionsValidator : IValidateOptions<EventConsumerOptions>
{
    public ValidateOptionsResult Validate(string? name, EventConsumerOptions options)
    {
        var section = $"Kafka:Consumers:{name}";
        var failures = new List<string>();
        Collect(options, section, failures);
        Collect(options.Retry, $"{section}:Retry", failures);
        if (options.PartitionQueueLowWatermark > options.PartitionQueueHighWatermark)
        {
            failures.Add($"{section}:PartitionQueueLowWatermark must not exceed PartitionQueueHighWatermark.");
        }

        if (options.Retry.InitialDelay > options.Retry.MaxDelay)
        {
            failures.Add($"{section}:Retry:InitialDelay must not exceed MaxDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object target, string section, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
