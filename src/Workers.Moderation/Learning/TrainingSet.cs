using System.Globalization;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>A reported message as read from <c>QuikApp_messages.messages</c>: what training needs of it.</summary>
public sealed record MessageContent(ObjectId MessageId, string Text, bool Deleted, DateTimeOffset? EditedAt);

/// <summary>One labelled message of a training set (<c>QuikApp_ml.training_examples</c>); a label is null when no decision speaks to it.</summary>
public sealed record TrainingExample(string SetId, ObjectId MessageId, string Text, bool? Spam, bool? Toxic)
{
    /// <summary><c>&lt;setId&gt;:&lt;messageId&gt;</c>: a rerun of the same set overwrites rather than duplicates.</summary>
    public string Id => $"{SetId}:{MessageId}";

    public bool? Label(ModelKind kind) => kind == ModelKind.Spam ? Spam : Toxic;
}

/// <summary>Positive and negative examples of one task.</summary>
public sealed record ClassCounts(int Positive, int Negative);

/// <summary>How many messages a training set holds, and how they divide per task.</summary>
public sealed record TrainingSetCounts(int Messages, ClassCounts Spam, ClassCounts Toxicity);

/// <summary>The <c>QuikApp_ml.training_sets</c> record of one snapshot: where it came from and what it holds.</summary>
public sealed record TrainingSetRecord(string Id, DateTimeOffset CreatedAt, DateTimeOffset ReportsResolvedBefore, TrainingSetCounts Counts)
{
    public const string Kind = "moderation-labels";
}

/// <summary>Labelled messages left out of a snapshot, by reason (reported in the job run).</summary>
public sealed record TrainingSetExclusions(int MissingMessages, int DeletedMessages, int EmptyMessages, int LabelsEditedSince);

/// <summary>A training set: its record, its examples, and what was left out.</summary>
public sealed record TrainingSetSnapshot(TrainingSetRecord Record, IReadOnlyList<TrainingExample> Examples, TrainingSetExclusions Excluded);

/// <summary>
/// Joins moderators' labels with the messages' current content into a training set. Pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Deleted messages</b> are left out, unless a moderator deleted them (a report actioned with <c>action: delete</c>).
/// A user who deletes a message withdrew it, and that wish outweighs one more training example. A moderator's deletion
/// is the verdict itself, the strongest signal we have, and the deleted content is exactly what the model must
/// learn to catch.</item>
/// <item><b>Edited messages</b>: a label decided before the message's last edit described text we no longer have,
/// so it is dropped (the other task's label may survive).</item>
/// <item>Messages no longer in QuikApp_messages, or with empty content (attachments only), are left out.</item>
/// </list>
/// </remarks>
public static class TrainingSetBuilder
{
    /// <summary><c>moderation-labels-20261129T030000Z</c>: one id per cut-off, so a rerun of the same window reuses it.</summary>
    public static string IdFor(DateTimeOffset reportsResolvedBefore) =>
        "moderation-labels-" + reportsResolvedBefore.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static TrainingSetSnapshot Build(
        IReadOnlyList<MessageLabels> labels,
        IReadOnlyDictionary<ObjectId, MessageContent> messages,
        DateTimeOffset reportsResolvedBefore,
        DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(messages);
        var setId = IdFor(reportsResolvedBefore);
        var examples = new List<TrainingExample>(labels.Count);
        int missing = 0, deleted = 0, empty = 0, editedSince = 0;
        foreach (var label in labels)
        {
            if (!messages.TryGetValue(label.MessageId, out var message))
            {
                missing++;
                continue;
            }

            if (message.Deleted && !label.DeletedByModerator)
            {
                deleted++;
                continue;
            }

            if (string.IsNullOrWhiteSpace(message.Text))
            {
                empty++;
                continue;
            }

            var spam = StillDescribes(label.Spam, message, ref editedSince);
            var toxic = StillDescribes(label.Toxic, message, ref editedSince);
            if (spam is not null || toxic is not null)
            {
                examples.Add(new TrainingExample(setId, label.MessageId, message.Text, spam, toxic));
            }
        }

        var counts = new TrainingSetCounts(
            examples.Count,
            new ClassCounts(examples.Count(e => e.Spam == true), examples.Count(e => e.Spam == false)),
            new ClassCounts(examples.Count(e => e.Toxic == true), examples.Count(e => e.Toxic == false)));
        return new TrainingSetSnapshot(
            new TrainingSetRecord(setId, createdAt, reportsResolvedBefore, counts),
            examples,
            new TrainingSetExclusions(missing, deleted, empty, editedSince));
    }

    private static bool? StillDescribes(TaskLabel? label, MessageContent message, ref int editedSince)
    {
        if (label is not { } decided)
        {
            return null;
        }

        if (message.EditedAt is { } edited && edited > decided.DecidedAt)
        {
            editedSince++;
            return null;
        }

        return decided.IsPositive;
    }
}

/// <summary>One task's training texts: normalised, one per distinct text, with how many were merged or dropped.</summary>
/// <param name="Duplicates">Examples merged into an identical text with the same label (a flood reported many times).</param>
/// <param name="Conflicts">Distinct texts dropped because moderators labelled identical copies both ways.</param>
public sealed record LabelledTexts(IReadOnlyList<(string Text, bool IsPositive)> Examples, int Duplicates, int Conflicts)
{
    public int Positive => Examples.Count(e => e.IsPositive);

    public int Negative => Examples.Count(e => !e.IsPositive);

    /// <summary>
    /// The examples labelled for <paramref name="kind"/>, normalised as the models see text (<see cref="SpamText.Normalize"/>).
    /// Identical texts become one example: a spam wave reported 200 times would otherwise outweigh everything else and,
    /// straddling the held-out line, grade the model on what it trained on. Identical texts with both labels are dropped.
    /// </summary>
    public static LabelledTexts For(IEnumerable<TrainingExample> examples, ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var byText = examples
            .Where(e => e.Label(kind) is not null)
            .Select(e => (Text: SpamText.Normalize(e.Text), IsPositive: e.Label(kind)!.Value))
            .Where(e => e.Text.Length > 0)
            .GroupBy(e => e.Text, StringComparer.Ordinal)
            .ToList();
        var kept = byText
            .Where(g => g.All(e => e.IsPositive) || g.All(e => !e.IsPositive))
            .Select(g => (g.Key, g.First().IsPositive))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        var duplicates = byText.Where(g => g.Select(e => e.IsPositive).Distinct().Count() == 1).Sum(g => g.Count() - 1);
        return new LabelledTexts(kept, duplicates, byText.Count - kept.Count);
    }
}
