using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Moderation.Commands;

/// <summary>
/// <c>score</c>: reads messages as JSON lines on stdin and writes one JSON line per message with the checks, the
/// overall score, the action and the signals that fired. Needs neither Kafka nor MongoDB. Policy thresholds and the
/// model come from configuration (e.g. <c>--Moderation:Policy:Spam:Flag=0.5</c>, <c>--Moderation:Spam:ModelPath=…</c>),
/// so an operator can dry-run a policy on real traffic before rolling it out.
/// </summary>
internal sealed class ScoreCommand : IWorkerCommand
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public string Name => "score";

    public string Usage => "score < messages.jsonl   (one {\"content\":…, \"userId\"?, \"channelId\"?, \"workspaceId\"?, \"mentions\"?, \"mentionsEveryone\"?, \"at\"?} per line)";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var scorer = services.GetRequiredService<MessageScorer>();
        var policy = services.GetRequiredService<IOptions<ModerationPolicyOptions>>().Value.ToPolicy();
        var input = Console.In;
        var output = Console.Out;
        var number = 0;
        var failures = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject result;
            try
            {
                result = Score(scorer, policy, ParseLine(line), number);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                failures++;
                result = new JsonObject { ["line"] = number, ["error"] = ex.Message };
            }

            await output.WriteLineAsync(result.ToJsonString(Compact)).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Reads one input line into a <see cref="ScoringInput"/>; <c>mentions</c> may be a count or a list of ids.</summary>
    internal static ScoringInput ParseLine(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("each line must be a JSON object");
        var content = node["content"]?.GetValue<string>() ?? throw new FormatException("content: required (a string)");
        var mentions = node["mentions"] switch
        {
            null => 0,
            JsonArray array => array.Count,
            JsonValue value => value.GetValue<int>(),
            _ => throw new FormatException("mentions: a count or an array"),
        };
        var at = node["at"] is { } atNode
            ? DateTimeOffset.Parse(atNode.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : DateTimeOffset.UtcNow;
        return new ScoringInput(content, Id(node, "userId"), Id(node, "channelId"), Id(node, "workspaceId"), mentions,
            node["mentionsEveryone"]?.GetValue<bool>() ?? false, at);
    }

    internal static JsonObject Score(MessageScorer scorer, ModerationPolicy policy, ScoringInput input, int number)
    {
        var scored = scorer.Score(input, policy);
        var verdict = scored.Verdict;
        return new JsonObject
        {
            ["line"] = number,
            ["contentHash"] = scored.ContentHash,
            ["action"] = verdict.Action.ToWire(),
            ["overallScore"] = verdict.OverallScore,
            ["checks"] = new JsonObject
            {
                ["profanity"] = Check(verdict.Profanity),
                ["spam"] = Check(verdict.Spam),
                ["toxicity"] = Check(verdict.Toxicity),
            },
            ["signals"] = new JsonArray([.. verdict.Signals.Select(s => JsonValue.Create(s))]),
            ["models"] = new JsonObject { ["spam"] = scored.Models.Spam, ["toxicity"] = scored.Models.Toxicity, ["lexicons"] = scored.Models.Lexicons },
            ["policy"] = verdict.PolicyVersion,
        };
    }

    private static JsonObject Check(CheckVerdict check) => new()
    {
        ["score"] = check.Score,
        ["flagged"] = check.Flagged,
        ["signals"] = new JsonArray([.. check.Signals.Select(s => JsonValue.Create(s))]),
    };

    private static Guid? Id(JsonObject node, string name) =>
        node[name] is { } value ? Guid.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture) : null;
}
