using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

/// <summary>The other model forms an operator may drop in: batching models, [N] inputs, [N, labels] outputs, a tokenizer in the graph.</summary>
public sealed class OnnxToxicityModelFormsTests : IDisposable
{
    private static readonly Dictionary<string, float[]> Phrases = new()
    {
        ["you are an idiot"] = [0.95f, 0.7f],
        ["shut up loser"] = [0.9f, 0.8f],
        ["thanks for the review"] = [0.02f, 0.01f],
        ["see you at standup"] = [0.05f, 0.02f],
    };

    private static readonly string[] Texts =
        ["you are an idiot", "thanks for the review", "never seen before", "shut up loser", "see you at standup", "", "you are an idiot"];

    private readonly string _directory = Directory.CreateTempSubdirectory("toxicity-forms-").FullName;

    [Fact]
    public void Score_BatchingModelAcrossSeveralRuns_EqualsOneByOne()
    {
        var path = Write(HandBuiltOnnxModels.PhraseTable("Text", column: true, "scores", Phrases, [0.5f, 0.5f]));
        using var classifier = new OnnxToxicityClassifier(ColumnOptions(path) with { MaxBatch = 3 });

        // 7 texts in batches of 3: two full runs and a partial one.
        var batched = classifier.Score(Texts);
        var single = Texts.Select(classifier.Score).ToList();

        Assert.Equal(3, classifier.BatchSize);
        Assert.Equal(single, batched);
        Assert.Equal([0.95, 0.02, 0.5, 0.9, 0.05, 0.5, 0.95], batched.Select(s => Math.Round(s, 6)));
    }

    [Fact]
    public void Score_StringVectorInputAndDoubleOutput_ReadsEachText()
    {
        var path = Write(HandBuiltOnnxModels.PhraseTable("input_text", column: false, "toxicity", Phrases, [0.5f], doubleOutput: true));
        using var classifier = new OnnxToxicityClassifier(new OnnxToxicityOptions
        {
            ModelPath = path,
            InputName = "input_text",
            OutputName = "toxicity",
            OutputKind = OnnxScoreKind.Probabilities,
            MaxBatch = 8,
        });

        Assert.Equal(0.9, classifier.Score(["shut up loser", "thanks for the review"])[0], 6);
    }

    [Fact]
    public void Score_SecondColumnByLabelNameInMetadata_ReadsThatColumn()
    {
        var metadata = new Dictionary<string, string> { ["id2label"] = """{"0": "toxic", "1": "insult"}""" };
        var path = Write(HandBuiltOnnxModels.PhraseTable("Text", column: true, "scores", Phrases, [0.5f, 0.5f], metadata: metadata));

        using var classifier = new OnnxToxicityClassifier(ColumnOptions(path) with { LabelName = "insult" });

        Assert.Equal(1, classifier.LabelIndex);
        Assert.Equal(0.8, classifier.Score("shut up loser"), 6);
    }

    [Fact]
    public void Score_SoftmaxLogits_IsTheLabelsShareOfTheRow()
    {
        var logits = new Dictionary<string, float[]> { ["bad"] = [-1f, 2f], ["good"] = [2f, -1f] };
        var path = Write(HandBuiltOnnxModels.PhraseTable("Text", column: true, "logits", logits, [0f, 0f]));

        using var classifier = new OnnxToxicityClassifier(ColumnOptions(path) with { OutputName = "logits", OutputKind = OnnxScoreKind.SoftmaxLogits, LabelIndex = 1 });

        Assert.Equal(Math.Exp(2) / (Math.Exp(2) + Math.Exp(-1)), classifier.Score("bad"), 6);
        Assert.Equal(0.5, classifier.Score("unknown"), 6);
    }

    [Fact]
    public void Constructor_ModelThatCollapsesTheBatch_FailsNamingMaxBatch()
    {
        var path = Write(HandBuiltOnnxModels.PhraseTable("Text", column: true, "scores", Phrases, [0.5f, 0.5f], collapseBatch: true));

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(ColumnOptions(path) with { MaxBatch = 8 }));
        using var oneAtATime = new OnnxToxicityClassifier(ColumnOptions(path));

        Assert.StartsWith("Moderation:Toxicity:Onnx:MaxBatch:", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not batch", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.95, oneAtATime.Score("you are an idiot"), 6);
    }

    [Fact]
    public void Score_TokenizerInGraphWithDefaultOptions_IsSigmoidOfItsToxicLogit()
    {
        var path = Write(HandBuiltOnnxModels.TokenizerInGraph());

        using var classifier = new OnnxToxicityClassifier(new OnnxToxicityOptions { ModelPath = path });

        foreach (var text in new[] { "you are an idiot", "thanks for the great review", "you stupid loser", "" })
        {
            var logit = HandBuiltOnnxModels.TokenizerInGraphLogit(text);
            Assert.Equal(1 / (1 + Math.Exp(-logit)), classifier.Score(text), 5);
        }

        Assert.True(classifier.Score("You are an IDIOT") > 0.8);
        Assert.True(classifier.Score("thanks for the review") < 0.1);
    }

    [Fact]
    public void Constructor_TokenizerInGraphWithMaxBatchAboveOne_FailsNamingMaxBatch()
    {
        // The BERT tokenizer reads a 2-element input as one text pair: a batch would silently score the wrong thing.
        var path = Write(HandBuiltOnnxModels.TokenizerInGraph());

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(new OnnxToxicityOptions { ModelPath = path, MaxBatch = 2 }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:MaxBatch:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TokenizerInGraphWithoutExtensions_FailsNamingModelPathWithHint()
    {
        var path = Write(HandBuiltOnnxModels.TokenizerInGraph());

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(new OnnxToxicityOptions { ModelPath = path, UseOrtExtensions = false }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:ModelPath:", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseOrtExtensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelNameInModelLabelsMetadata_ResolvesItsColumn()
    {
        var path = Write(HandBuiltOnnxModels.TokenizerInGraph(new Dictionary<string, string> { ["labels"] = "toxic,insult" }));

        using var classifier = new OnnxToxicityClassifier(new OnnxToxicityOptions { ModelPath = path, LabelName = "insult" });

        Assert.Equal(1, classifier.LabelIndex);
        Assert.Equal(1 / (1 + Math.Exp(3)), classifier.Score("anything at all"), 5);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static OnnxToxicityOptions ColumnOptions(string path) => new()
    {
        ModelPath = path,
        InputName = "Text",
        InputKind = OnnxTextInputKind.StringColumn,
        OutputName = "scores",
        OutputKind = OnnxScoreKind.Probabilities,
    };

    private string Write(byte[] model)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }
}
