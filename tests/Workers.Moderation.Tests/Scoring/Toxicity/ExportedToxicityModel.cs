using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

/// <summary>A tiny ML.NET toxicity classifier, trained at test time and exported to ONNX, with ML.NET's own predictions to compare against.</summary>
public sealed class ExportedToxicityModel : IDisposable
{
    public static readonly string[] Toxic =
    [
        "you are an idiot",
        "shut up you stupid loser",
        "I hate you, you moron",
        "you are worthless garbage",
        "go away, nobody likes you, idiot",
        "what a pathetic stupid answer",
        "you dumb clown, get lost",
        "everyone here thinks you are a moron",
    ];

    public static readonly string[] Clean =
    [
        "thanks for the review",
        "see you at the standup tomorrow",
        "great work on the release!",
        "can you share the deploy logs?",
        "lunch at 12:30 works for me",
        "I pushed the fix to the branch",
        "happy birthday, have a lovely day",
        "the build is green again",
    ];

    /// <summary>Sentences the model never saw, a mix of both kinds.</summary>
    public static readonly string[] Unseen =
    [
        "you stupid idiot",
        "thanks, great review",
        "nobody likes your pathetic code, loser",
        "the deploy is done, see the logs",
        "Ünïcödé text with 123 numbers & punctuation?!",
        "",
    ];

    private readonly MLContext _ml = new(seed: 7);
    private readonly ITransformer _model;
    private readonly string _directory;

    public ExportedToxicityModel()
    {
        var rows = Toxic.Select(t => new LabelledText { Text = t, Label = true })
            .Concat(Clean.Select(t => new LabelledText { Text = t, Label = false }))
            .ToList();
        var training = _ml.Data.LoadFromEnumerable(rows);

        // OnnxConverter can only export the text normaliser in its pass-through form, hence these four settings.
        var featurizer = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
        };
        _model = _ml.Transforms.Text.FeaturizeText("Features", featurizer, nameof(LabelledText.Text))
            // The default L1 penalty zeroes every weight of a 16-sentence model; this little data needs a light touch.
            .Append(_ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l1Regularization: 0, l2Regularization: 0.01f))
            .Fit(training);

        _directory = Directory.CreateTempSubdirectory("toxicity-onnx-").FullName;
        ModelPath = Path.Combine(_directory, "toxicity.onnx");
        // Exported against a text-only schema: with the label in the schema the model would demand a Label input.
        Export(ModelPath, _ml.Data.LoadFromEnumerable(rows.Select(r => new UnlabelledText { Text = r.Text })));
        ModelWithLabelInputPath = Path.Combine(_directory, "with-label-input.onnx");
        Export(ModelWithLabelInputPath, training);
    }

    public string ModelPath { get; }

    /// <summary>The same model exported with the label column in its schema: it has a second input, <c>Label</c>.</summary>
    public string ModelWithLabelInputPath { get; }

    /// <summary>Options that fit an ML.NET export: a [N,1] <c>Text</c> input and a [N,1] <c>Probability.output</c>, one text per run.</summary>
    public OnnxToxicityOptions Options => new()
    {
        ModelPath = ModelPath,
        InputName = "Text",
        InputKind = OnnxTextInputKind.StringColumn,
        OutputName = "Probability.output",
        OutputKind = OnnxScoreKind.Probabilities,
        LabelIndex = 0,
    };

    /// <summary>A scratch folder that is removed with the fixture.</summary>
    public string ScratchDirectory => _directory;

    /// <summary>ML.NET's own probability and raw score for each text.</summary>
    public IReadOnlyList<(float Probability, float Score)> PredictWithMlNet(IEnumerable<string> texts)
    {
        var engine = _ml.Model.CreatePredictionEngine<UnlabelledText, Prediction>(_model);
        return texts.Select(t => engine.Predict(new UnlabelledText { Text = t })).Select(p => (p.Probability, p.Score)).ToList();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it is not.
        }
    }

    private void Export(string path, IDataView schema)
    {
        using var file = File.Create(path);
        _ml.Model.ConvertToOnnx(_model, schema, file);
    }

    private sealed class LabelledText
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }

    private sealed class UnlabelledText
    {
        public string Text { get; set; } = "";
    }

    private sealed class Prediction
    {
        [ColumnName("Probability")]
        public float Probability { get; set; }

        [ColumnName("Score")]
        public float Score { get; set; }
    }
}
