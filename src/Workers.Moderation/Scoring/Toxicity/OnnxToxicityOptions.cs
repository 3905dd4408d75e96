using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>Which ONNX text classifier to load and how to read its output (configuration section <c>Moderation:Toxicity:Onnx</c>).</summary>
/// <remarks>
/// The defaults describe a Detoxify-like transformer exported with its tokenizer built in (onnxruntime-extensions):
/// a 1-D string input <c>text</c>, a <c>logits</c> output of shape [N, labels] with <c>toxic</c> in column 0, read
/// through a sigmoid. A model exported by ML.NET's OnnxConverter instead takes <c>Text</c> as [N, 1] and gives
/// <c>Probability.output</c> as [N, 1]; set the names and kinds to match.
/// </remarks>
public sealed record OnnxToxicityOptions
{
    public const string SectionName = "Moderation:Toxicity:Onnx";

    /// <summary>Path of the <c>.onnx</c> file. The model must take raw text: we ship no tokenizer.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Moderation:Toxicity:Onnx:ModelPath is required.")]
    public string ModelPath { get; init; } = "";

    /// <summary>Name of the model's string input.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Moderation:Toxicity:Onnx:InputName is required.")]
    public string InputName { get; init; } = "text";

    /// <summary>Shape of the string input: <see cref="OnnxTextInputKind.StringVector"/> ([N]) or <see cref="OnnxTextInputKind.StringColumn"/> ([N, 1]).</summary>
    public OnnxTextInputKind InputKind { get; init; } = OnnxTextInputKind.StringVector;

    /// <summary>Name of the output holding the label scores ([N] or [N, labels]).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Moderation:Toxicity:Onnx:OutputName is required.")]
    public string OutputName { get; init; } = "logits";

    /// <summary>What the output's numbers are, and so how they become a probability.</summary>
    public OnnxScoreKind OutputKind { get; init; } = OnnxScoreKind.Logits;

    /// <summary>Column of the output that means "toxic" (Detoxify puts <c>toxic</c>/<c>toxicity</c> first).</summary>
    [Range(0, 10_000, ErrorMessage = "Moderation:Toxicity:Onnx:LabelIndex must be between 0 and 10000.")]
    public int LabelIndex { get; init; }

    /// <summary>
    /// Label to score, looked up in the model's metadata (<c>id2label</c> JSON or comma-separated <c>labels</c>) or in a
    /// Hugging Face <c>config.json</c> beside the model. When set it wins over <see cref="LabelIndex"/>.
    /// </summary>
    public string? LabelName { get; init; }

    /// <summary>
    /// Most messages per inference run. Both common forms score one text per run, hence 1: the onnxruntime-extensions
    /// BERT tokenizer reads a 1-D input as one text or a text pair, and ML.NET's text featurizer export collapses the
    /// batch. Raise it only for a model that batches; loading checks that a batch scores like single texts.
    /// </summary>
    [Range(1, 4096, ErrorMessage = "Moderation:Toxicity:Onnx:MaxBatch must be between 1 and 4096.")]
    public int MaxBatch { get; init; } = 1;

    /// <summary>
    /// Register the onnxruntime-extensions custom operators (tokenizers such as <c>BertTokenizer</c>), which a model with
    /// its tokenizer in the graph needs. Off only for models known to use standard operators.
    /// </summary>
    public bool UseOrtExtensions { get; init; } = true;

    /// <summary>Threads ONNX Runtime may use inside one run; 0 lets it choose (one per core).</summary>
    [Range(0, 256, ErrorMessage = "Moderation:Toxicity:Onnx:IntraOpThreads must be between 0 and 256.")]
    public int IntraOpThreads { get; init; }
}

/// <summary>The shape of an ONNX classifier's string input; token-id inputs are not supported (we ship no tokenizer).</summary>
public enum OnnxTextInputKind
{
    /// <summary>A 1-D string tensor [N], one text per element (onnxruntime-extensions tokenizers).</summary>
    StringVector,

    /// <summary>A 2-D string tensor [N, 1], one text per row (what ML.NET's OnnxConverter exports; [1, 1] models score one at a time).</summary>
    StringColumn,
}

/// <summary>What a classifier's output numbers mean, and so how they become a probability of the label.</summary>
public enum OnnxScoreKind
{
    /// <summary>Already probabilities in [0, 1]; used as they are (clamped).</summary>
    Probabilities,

    /// <summary>Independent per-label logits (multi-label, as Detoxify): the label's probability is sigmoid(logit).</summary>
    Logits,

    /// <summary>Logits of mutually exclusive classes: the label's probability is the softmax over the row.</summary>
    SoftmaxLogits,
}
