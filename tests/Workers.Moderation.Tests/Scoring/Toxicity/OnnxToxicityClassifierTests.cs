using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.ML.OnnxRuntime;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

/// <summary>The ONNX toxicity classifier against a real model: an ML.NET pipeline exported with OnnxConverter.</summary>
public sealed class OnnxToxicityClassifierTests(ExportedToxicityModel model, ITestOutputHelper output) : IClassFixture<ExportedToxicityModel>
{
    private static readonly string[] AllSentences =
        [.. ExportedToxicityModel.Toxic, .. ExportedToxicityModel.Clean, .. ExportedToxicityModel.Unseen];

    [Fact]
    public void Export_MlNetTextPipeline_HasStringColumnInputAndProbabilityOutput()
    {
        using var session = new InferenceSession(model.ModelPath);
        foreach (var (name, node) in session.InputMetadata.Concat(session.OutputMetadata))
        {
            output.WriteLine($"{name}: {node.ElementDataType} [{string.Join(",", node.Dimensions)}]");
        }

        Assert.Equal(["Text"], session.InputMetadata.Keys);
        Assert.Equal([-1, 1], session.InputMetadata["Text"].Dimensions);
        Assert.Equal([-1, 1], session.OutputMetadata["Probability.output"].Dimensions);
        Assert.Equal([-1, 1], session.OutputMetadata["Score.output"].Dimensions);
    }

    [Fact]
    public void Score_MlNetExport_AgreesWithMlNetPredictions()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);

        var onnx = classifier.Score(AllSentences);
        var mlNet = model.PredictWithMlNet(AllSentences);

        for (var i = 0; i < AllSentences.Length; i++)
        {
            output.WriteLine($"{onnx[i]:F6} {mlNet[i].Probability:F6} '{AllSentences[i]}'");
            Assert.Equal(mlNet[i].Probability, onnx[i], 1e-4);
        }
    }

    [Fact]
    public void Score_RawScoreReadAsLogits_AgreesWithMlNetProbability()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options with { OutputName = "Score.output", OutputKind = OnnxScoreKind.Logits });

        var onnx = classifier.Score(AllSentences);
        var mlNet = model.PredictWithMlNet(AllSentences);

        for (var i = 0; i < AllSentences.Length; i++)
        {
            Assert.Equal(mlNet[i].Probability, onnx[i], 1e-4);
        }
    }

    [Fact]
    public void Score_ToxicAndCleanSentences_ToxicScoreHigher()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);

        var leastToxic = classifier.Score(ExportedToxicityModel.Toxic).Min();
        var mostToxicClean = classifier.Score(ExportedToxicityModel.Clean).Max();

        Assert.True(leastToxic > mostToxicClean, $"least toxic {leastToxic} should be above the most toxic clean {mostToxicClean}");
        Assert.True(classifier.Score("you stupid idiot") > classifier.Score("thanks, great review"));
    }

    [Fact]
    public void Score_ListOfTexts_EqualsOneByOne()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);

        var listed = classifier.Score(AllSentences);
        var single = AllSentences.Select(classifier.Score).ToList();

        Assert.Equal(1, classifier.BatchSize);
        Assert.Equal(single, listed);
    }

    [Fact]
    public void Constructor_MlNetTextExportWithMaxBatchAboveOne_FailsNamingMaxBatch()
    {
        // The export declares Text as [N,1], but its char-n-gram branch collapses the batch: only one text per run works.
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { MaxBatch = 16 }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:MaxBatch:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set it to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_EmptyBatch_ReturnsNoScores()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);

        Assert.Empty(classifier.Score([]));
    }

    [Fact]
    public void Score_ManyThreadsAtOnce_SameScoresAsSequential()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);
        var expected = classifier.Score(AllSentences);

        var results = new IReadOnlyList<double>[32];
        Parallel.For(0, results.Length, i => results[i] = classifier.Score(AllSentences));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Score_AfterDispose_ThrowsObjectDisposed()
    {
        var classifier = new OnnxToxicityClassifier(model.Options);
        classifier.Dispose();
        classifier.Dispose();

        Assert.Throws<ObjectDisposedException>(() => classifier.Score("hello"));
    }

    [Fact]
    public void ModelVersion_AnyModel_IsSha256PrefixOfTheFile()
    {
        using var classifier = new OnnxToxicityClassifier(model.Options);

        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model.ModelPath)))[..12];
        Assert.Equal(expected, classifier.ModelVersion);
    }

    [Fact]
    public void Constructor_UnknownInputName_FailsNamingSettingAndListingInputs()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { InputName = "input_text" }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:InputName:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'input_text'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Text string [N,1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownOutputName_FailsNamingSettingAndListingOutputs()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { OutputName = "logits" }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:OutputName:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Probability.output float [N,1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StringOutput_FailsNamingOutputName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { OutputName = "Text.output" }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:OutputName:", error.Message, StringComparison.Ordinal);
        Assert.Contains("float or double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_VectorKindForColumnInput_FailsNamingInputKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { InputKind = OnnxTextInputKind.StringVector }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:InputKind:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ModelWithSecondInput_FailsNamingInputName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { ModelPath = model.ModelWithLabelInputPath }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:InputName:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelIndexPastTheColumns_FailsNamingLabelIndex()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { LabelIndex = 1 }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:LabelIndex:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SoftmaxOverOneColumn_FailsNamingOutputKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { OutputKind = OnnxScoreKind.SoftmaxLogits }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:OutputKind:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingFile_FailsNamingModelPath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { ModelPath = "/nonexistent/model.onnx" }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:ModelPath:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FileThatIsNotAModel_FailsNamingModelPath()
    {
        var path = Path.Combine(model.ScratchDirectory, "not-a-model.onnx");
        File.WriteAllText(path, "this is not protobuf");

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { ModelPath = path }));

        Assert.StartsWith("Moderation:Toxicity:Onnx:ModelPath:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelNameInConfigBesideModel_ResolvesItsColumn()
    {
        var folder = Directory.CreateDirectory(Path.Combine(model.ScratchDirectory, "hf-layout")).FullName;
        var path = Path.Combine(folder, "model.onnx");
        File.Copy(model.ModelPath, path, overwrite: true);
        File.WriteAllText(Path.Combine(folder, "config.json"), """{ "id2label": { "0": "toxic" }, "model_type": "bert" }""");

        using var classifier = new OnnxToxicityClassifier(model.Options with { ModelPath = path, LabelName = "toxic" });
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxToxicityClassifier(model.Options with { ModelPath = path, LabelName = "insult" }));

        Assert.Equal(0, classifier.LabelIndex);
        Assert.StartsWith("Moderation:Toxicity:Onnx:LabelName:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BoundFromConfiguration_ReadTheModerationSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Moderation:Toxicity:Onnx:ModelPath"] = "/models/toxic.onnx",
                ["Moderation:Toxicity:Onnx:InputKind"] = "StringColumn",
                ["Moderation:Toxicity:Onnx:OutputKind"] = "Probabilities",
                ["Moderation:Toxicity:Onnx:LabelName"] = "toxic",
                ["Moderation:Toxicity:Onnx:MaxBatch"] = "32",
            })
            .Build();

        var options = configuration.GetSection(OnnxToxicityOptions.SectionName).Get<OnnxToxicityOptions>()!;

        Assert.Equal(
            new OnnxToxicityOptions
            {
                ModelPath = "/models/toxic.onnx",
                InputKind = OnnxTextInputKind.StringColumn,
                OutputKind = OnnxScoreKind.Probabilities,
                LabelName = "toxic",
                MaxBatch = 32,
            },
            options);
    }

    [Fact]
    public void Options_Defaults_DescribeADetoxifyLikeExport()
    {
        var options = new OnnxToxicityOptions();

        Assert.Equal("text", options.InputName);
        Assert.Equal(OnnxTextInputKind.StringVector, options.InputKind);
        Assert.Equal("logits", options.OutputName);
        Assert.Equal(OnnxScoreKind.Logits, options.OutputKind);
        Assert.Equal(0, options.LabelIndex);
        Assert.Equal(1, options.MaxBatch);
    }
}
