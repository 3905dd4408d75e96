using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>Scores text for toxicity with an operator-supplied ONNX text classifier (one instance, and so one session, per process).</summary>
/// <remarks>
/// The model must take raw strings: token-id models need their tokenizer built into the graph (e.g. with
/// onnxruntime-extensions). Everything about the model is checked when it is loaded, so a wrong setting fails at
/// start-up with a message naming it rather than on the first message. <see cref="Score(IReadOnlyList{string})"/> is
/// safe to call from many threads (ONNX Runtime's <c>Run</c> is); dispose only once callers have stopped.
/// </remarks>
public sealed class OnnxToxicityClassifier : IDisposable
{
    private const string Section = OnnxToxicityOptions.SectionName;

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OnnxTextInputKind _inputKind;
    private readonly OnnxScoreKind _outputKind;
    private volatile bool _disposed;

    /// <summary>Loads and checks the model; throws <see cref="InvalidOperationException"/> naming the setting at fault.</summary>
    public OnnxToxicityClassifier(OnnxToxicityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw SettingError(nameof(options.ModelPath), "is required: the path of the .onnx file.");
        }

        if (!File.Exists(options.ModelPath))
        {
            throw SettingError(nameof(options.ModelPath), $"no file at '{options.ModelPath}'.");
        }

        if (options.MaxBatch < 1)
        {
            throw SettingError(nameof(options.MaxBatch), $"must be at least 1 (is {options.MaxBatch}).");
        }

        ModelVersion = HashPrefix(options.ModelPath);
        _inputKind = options.InputKind;
        _outputKind = options.OutputKind;
        _inputNames = [options.InputName];
        _outputNames = [options.OutputName];

        _sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads };
        _runOptions = new RunOptions();
        try
        {
            if (options.UseOrtExtensions)
            {
                try
                {
                    _sessionOptions.RegisterOrtExtensions();
                }
                catch (OnnxRuntimeException e)
                {
                    throw SettingError(nameof(options.UseOrtExtensions),
                        $"the onnxruntime-extensions library could not be loaded on this platform ({e.Message}); set it to false for a model without tokenizer operators.", e);
                }
            }

            try
            {
                _session = new InferenceSession(options.ModelPath, _sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                var hint = options.UseOrtExtensions ? "" : " (custom operators such as tokenizers need UseOrtExtensions=true)";
                throw SettingError(nameof(options.ModelPath), $"'{options.ModelPath}' is not a model ONNX Runtime can load{hint}: {e.Message}", e);
            }

            try
            {
                var batchDimension = CheckInput(_session.InputMetadata, options);
                var columns = CheckOutput(_session.OutputMetadata, options);
                LabelIndex = ResolveLabelIndex(options, columns);
                BatchSize = batchDimension > 0 ? batchDimension : options.MaxBatch;
                Probe(options);
            }
            catch
            {
                _session.Dispose();
                throw;
            }
        }
        catch
        {
            _runOptions.Dispose();
            _sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>First 12 hex digits of the model file's SHA-256: recorded with verdicts so a score can be traced to its model.</summary>
    public string ModelVersion { get; }

    /// <summary>The output column read as "toxic" (from <c>LabelIndex</c>, or resolved from <c>LabelName</c>).</summary>
    public int LabelIndex { get; }

    /// <summary>Texts per inference run: <c>MaxBatch</c>, or 1 when the model's batch dimension is fixed at 1.</summary>
    public int BatchSize { get; }

    /// <summary>Probability in [0, 1] that <paramref name="text"/> is toxic.</summary>
    public double Score(string text) => Score([text])[0];

    /// <summary>Probabilities in [0, 1] that each text is toxic, in order; runs the model on up to <see cref="BatchSize"/> texts at once.</summary>
    public IReadOnlyList<double> Score(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var scores = new double[texts.Count];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            Run(texts, start, Math.Min(BatchSize, texts.Count - start), scores);
        }

        return scores;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
        _sessionOptions.Dispose();
    }

    /// <summary>The label's probability from one output row, by what the row's numbers are.</summary>
    internal static double ToProbability(ReadOnlySpan<double> row, int labelIndex, OnnxScoreKind kind)
    {
        var value = row[labelIndex];
        switch (kind)
        {
            case OnnxScoreKind.Probabilities:
                return double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
            case OnnxScoreKind.Logits:
                return Sigmoid(value);
            case OnnxScoreKind.SoftmaxLogits:
                // Subtracting the row's max keeps exp() finite for large logits without changing the result.
                var max = double.NegativeInfinity;
                foreach (var x in row)
                {
                    max = Math.Max(max, x);
                }

                var sum = 0.0;
                foreach (var x in row)
                {
                    sum += Math.Exp(x - max);
                }

                return Math.Exp(value - max) / sum;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score kind.");
        }
    }

    /// <summary>The column named <paramref name="labelName"/> in the model's metadata or Hugging Face config, if either names it.</summary>
    internal static int? FindLabelIndex(string labelName, IReadOnlyDictionary<string, string> metadata, string? configJson)
    {
        if (metadata.TryGetValue("id2label", out var id2label) && FindInId2Label(labelName, id2label) is { } fromMetadata)
        {
            return fromMetadata;
        }

        if (metadata.TryGetValue("labels", out var labels))
        {
            var names = labels.Split(',', StringSplitOptions.TrimEntries);
            var index = Array.FindIndex(names, n => string.Equals(n, labelName, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index;
            }
        }

        if (configJson is null)
        {
            return null;
        }

        using var config = JsonDocument.Parse(configJson);
        return config.RootElement.ValueKind == JsonValueKind.Object
            && config.RootElement.TryGetProperty("id2label", out var map)
                ? FindInId2Label(labelName, map)
                : null;
    }

    private static int? FindInId2Label(string labelName, string id2labelJson)
    {
        using var map = JsonDocument.Parse(id2labelJson);
        return FindInId2Label(labelName, map.RootElement);
    }

    private static int? FindInId2Label(string labelName, JsonElement map)
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String
                && string.Equals(entry.Value.GetString(), labelName, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return index;
            }
        }

        return null;
    }

    /// <summary>
    /// Scores two texts singly and, when batching, together: the declared shapes cannot tell whether a model really
    /// batches (ML.NET text exports declare [N,1] yet collapse the batch), so we find out before the first message.
    /// </summary>
    private void Probe(OnnxToxicityOptions options)
    {
        string[] probe = ["hello, see you at the standup", "you are an idiot"];
        var single = new double[probe.Length];
        try
        {
            Run(probe, 0, 1, single);
            Run(probe, 1, 1, single);
        }
        catch (OnnxRuntimeException e)
        {
            throw SettingError(nameof(options.ModelPath), $"the model failed on a probe text: {e.Message}", e);
        }

        if (BatchSize == 1)
        {
            return;
        }

        var batched = new double[probe.Length];
        try
        {
            Run(probe, 0, probe.Length, batched);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidOperationException)
        {
            throw SettingError(nameof(options.MaxBatch), $"the model cannot score a batch of texts ({e.Message}). Set it to 1.", e);
        }

        // Padding in a batch may move a transformer's scores a little; a wrong reading of the batch moves them a lot.
        if (Math.Abs(batched[0] - single[0]) > 1e-3 || Math.Abs(batched[1] - single[1]) > 1e-3)
        {
            throw SettingError(nameof(options.MaxBatch),
                $"the model scores texts in a batch ({batched[0]:F4}, {batched[1]:F4}) differently from one by one ({single[0]:F4}, {single[1]:F4}). Set it to 1.");
        }
    }

    private void Run(IReadOnlyList<string> texts, int start, int count, double[] scores)
    {
        long[] shape = _inputKind == OnnxTextInputKind.StringColumn ? [count, 1] : [count];
        using var input = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < count; i++)
        {
            input.StringTensorSetElementAt((texts[start + i] ?? "").AsMemory(), i);
        }

        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        var (rows, columns) = RowsAndColumns(info.Shape);
        if (rows != count)
        {
            // A model that reads its whole input as one text (e.g. a BERT tokenizer in the graph) answers one row.
            throw new InvalidOperationException(count > 1
                ? $"The toxicity model returned {rows} row(s) for {count} texts: it does not batch. Set {Section}:MaxBatch to 1."
                : $"The toxicity model returned {rows} rows for one text: {Section}:OutputName must name a per-text score.");
        }

        if (LabelIndex >= columns)
        {
            throw new InvalidOperationException(
                $"The toxicity model returned {columns} column(s): {Section}:LabelIndex {LabelIndex} is out of range.");
        }

        var row = columns <= 64 ? stackalloc double[columns] : new double[columns];
        for (var r = 0; r < rows; r++)
        {
            if (info.ElementDataType == TensorElementType.Double)
            {
                output.GetTensorDataAsSpan<double>().Slice(r * columns, columns).CopyTo(row);
            }
            else
            {
                var floats = output.GetTensorDataAsSpan<float>().Slice(r * columns, columns);
                for (var c = 0; c < columns; c++)
                {
                    row[c] = floats[c];
                }
            }

            scores[start + r] = ToProbability(row, LabelIndex, _outputKind);
        }
    }

    private static (int Rows, int Columns) RowsAndColumns(long[] shape)
    {
        if (shape.Length == 0)
        {
            return (1, 1);
        }

        var columns = 1L;
        for (var i = 1; i < shape.Length; i++)
        {
            columns *= shape[i];
        }

        return (checked((int)shape[0]), checked((int)columns));
    }

    /// <summary>Checks the input and returns its fixed batch size, or 0 when the batch dimension is free.</summary>
    private static int CheckInput(IReadOnlyDictionary<string, NodeMetadata> inputs, OnnxToxicityOptions options)
    {
        if (!inputs.TryGetValue(options.InputName, out var input))
        {
            throw SettingError(nameof(options.InputName), $"the model has no input '{options.InputName}' (its inputs: {Describe(inputs)}).");
        }

        var others = inputs.Keys.Where(k => k != options.InputName).ToList();
        if (others.Count > 0)
        {
            throw SettingError(nameof(options.InputName),
                $"the model needs further inputs we cannot feed ({string.Join(", ", others)}); export it with the text as its only input.");
        }

        if (!input.IsTensor || input.ElementDataType != TensorElementType.String)
        {
            throw SettingError(nameof(options.InputName),
                $"input '{options.InputName}' is {Describe(input)}, not a string tensor. Token-id models need a tokenizer built into the graph (e.g. onnxruntime-extensions); we ship none.");
        }

        var dims = input.Dimensions;
        var fits = options.InputKind switch
        {
            OnnxTextInputKind.StringVector => dims.Length == 1,
            OnnxTextInputKind.StringColumn => dims.Length == 2 && dims[1] is 1 or -1,
            _ => false,
        };
        if (!fits)
        {
            throw SettingError(nameof(options.InputKind),
                $"{options.InputKind} does not fit input '{options.InputName}' of shape {Shape(dims)}: StringVector expects [N], StringColumn [N,1].");
        }

        return dims[0] switch
        {
            > 1 => throw SettingError(nameof(options.InputName),
                $"input '{options.InputName}' has a fixed batch of {dims[0]}; only a free batch dimension or 1 is supported."),
            1 => 1,
            _ => 0,
        };
    }

    /// <summary>Checks the output and returns its column count per row, or 0 when the model leaves it open.</summary>
    private static int CheckOutput(IReadOnlyDictionary<string, NodeMetadata> outputs, OnnxToxicityOptions options)
    {
        if (!outputs.TryGetValue(options.OutputName, out var output))
        {
            throw SettingError(nameof(options.OutputName), $"the model has no output '{options.OutputName}' (its outputs: {Describe(outputs)}).");
        }

        if (!output.IsTensor || output.ElementDataType is not (TensorElementType.Float or TensorElementType.Double))
        {
            throw SettingError(nameof(options.OutputName),
                $"output '{options.OutputName}' is {Describe(output)}; a float or double tensor of shape [N] or [N, labels] is needed.");
        }

        var dims = output.Dimensions;
        if (dims.Length is < 1 or > 2)
        {
            throw SettingError(nameof(options.OutputName),
                $"output '{options.OutputName}' has shape {Shape(dims)}; [N] or [N, labels] is needed.");
        }

        var columns = dims.Length == 1 ? 1 : Math.Max(dims[1], 0);
        if (options.OutputKind == OnnxScoreKind.SoftmaxLogits && columns == 1)
        {
            throw SettingError(nameof(options.OutputKind),
                $"SoftmaxLogits needs one column per class, but output '{options.OutputName}' has one. Use Logits or Probabilities.");
        }

        return columns;
    }

    private int ResolveLabelIndex(OnnxToxicityOptions options, int columns)
    {
        var index = options.LabelIndex;
        if (!string.IsNullOrWhiteSpace(options.LabelName))
        {
            var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.ModelPath))!, "config.json");
            var configJson = File.Exists(configPath) ? File.ReadAllText(configPath) : null;
            index = FindLabelIndex(options.LabelName, _session.ModelMetadata.CustomMetadataMap, configJson)
                ?? throw SettingError(nameof(options.LabelName),
                    $"no label '{options.LabelName}' in the model's metadata (id2label, labels) or in {configPath}. Set LabelIndex instead.");
        }

        if (columns > 0 && index >= columns)
        {
            throw SettingError(options.LabelName is null ? nameof(options.LabelIndex) : nameof(options.LabelName),
                $"column {index} is out of range: output '{options.OutputName}' has {columns} column(s).");
        }

        return index;
    }

    private static double Sigmoid(double x) =>
        // Split by sign so exp() never overflows for large |x|.
        x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static string HashPrefix(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }

    private static InvalidOperationException SettingError(string setting, string problem, Exception? inner = null) =>
        new($"{Section}:{setting}: {problem}", inner);

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(n => $"{n.Key} {Describe(n.Value)}"));

    private static string Describe(NodeMetadata node) =>
        node.IsTensor ? $"{node.ElementDataType.ToString().ToLowerInvariant()} {Shape(node.Dimensions)}" : node.OnnxValueType.ToString();

    private static string Shape(int[] dims) =>
        "[" + string.Join(",", dims.Select(d => d < 0 ? "N" : d.ToString(CultureInfo.InvariantCulture))) + "]";
}
