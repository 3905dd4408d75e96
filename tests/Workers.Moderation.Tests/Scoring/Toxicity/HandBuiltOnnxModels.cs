using System.Text;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

/// <summary>
/// Small ONNX text classifiers written straight as protobuf, for the shapes an ML.NET export cannot give us: a model
/// that batches, [N] inputs, [N, labels] float or double outputs, label metadata, and a Detoxify-like graph with an
/// onnxruntime-extensions BERT tokenizer in it.
/// </summary>
internal static class HandBuiltOnnxModels
{
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private const int StringType = 8;
    private const int DoubleType = 11;

    /// <summary>Vocabulary and per-token toxicity weight of <see cref="TokenizerInGraph"/>.</summary>
    public static readonly (string Token, float Weight)[] Vocabulary =
    [
        ("[PAD]", 0), ("[UNK]", 0), ("[CLS]", -1), ("[SEP]", 0), ("[MASK]", 0),
        ("you", 0), ("are", 0), ("an", 0), ("idiot", 3), ("stupid", 3), ("loser", 2.5f),
        ("thanks", -2), ("for", 0), ("the", 0), ("review", -1.5f), ("great", -1),
    ];

    /// <summary>
    /// A lookup-table "classifier": each known phrase maps to one number per column, anything else to the column's
    /// default. It batches like any element-wise graph. Input [N, 1] (<paramref name="column"/>) or [N];
    /// output [N, columns] (or [N] for a vector input).
    /// </summary>
    public static byte[] PhraseTable(
        string inputName,
        bool column,
        string outputName,
        IReadOnlyDictionary<string, float[]> phrases,
        float[] defaults,
        bool doubleOutput = false,
        bool collapseBatch = false,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var columns = defaults.Length;
        var keys = phrases.Keys.ToArray();
        var nodes = new List<byte[]>();
        var columnOutputs = new List<string>();
        for (var c = 0; c < columns; c++)
        {
            var name = $"column{c}";
            nodes.Add(Node("LabelEncoder", "ai.onnx.ml", [inputName], [name],
                StringsAttribute("keys_strings", keys),
                FloatsAttribute("values_floats", [.. keys.Select(k => phrases[k][c])]),
                FloatAttribute("default_float", defaults[c])));
            columnOutputs.Add(name);
        }

        var current = columnOutputs[0];
        if (columns > 1)
        {
            nodes.Add(Node("Concat", "", columnOutputs, ["concatenated"], IntAttribute("axis", 1)));
            current = "concatenated";
        }

        var initializers = new List<byte[]>();
        if (collapseBatch)
        {
            // Sums over the batch: one row whatever N is, as a model that reads its whole input as one text would.
            initializers.Add(Int64Tensor("batch_axis", [1], [0]));
            nodes.Add(Node("ReduceSum", "", [current, "batch_axis"], ["collapsed"], IntAttribute("keepdims", 1)));
            current = "collapsed";
        }

        var elementType = FloatType;
        if (doubleOutput)
        {
            nodes.Add(Node("Cast", "", [current], ["as_double"], IntAttribute("to", DoubleType)));
            current = "as_double";
            elementType = DoubleType;
        }

        nodes.Add(Node("Identity", "", [current], [outputName]));
        var inputShape = column ? new object[] { "N", 1L } : ["N"];
        var outputShape = column ? new object[] { "N", (long)columns } : ["N"];
        return Model(
            Graph(nodes, initializers, [ValueInfo(inputName, StringType, inputShape)], [ValueInfo(outputName, elementType, outputShape)]),
            metadata);
    }

    /// <summary>
    /// A Detoxify-shaped model with its tokenizer built in: 1-D string input <c>text</c> → onnxruntime-extensions
    /// <c>BertTokenizer</c> → a per-token weight summed into a logit → <c>logits</c> [1, 2] (toxic, insult). Like the
    /// real thing, a 2-element input is read as one text pair, not a batch of two.
    /// </summary>
    public static byte[] TokenizerInGraph(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var vocab = string.Join('\n', Vocabulary.Select(v => v.Token));
        var nodes = new List<byte[]>
        {
            Node("BertTokenizer", "ai.onnx.contrib", ["text"], ["input_ids", "token_type_ids", "attention_mask"],
                StringAttribute("vocab_file", vocab), IntAttribute("do_lower_case", 1)),
            Node("Gather", "", ["token_weights", "input_ids"], ["weights"], IntAttribute("axis", 0)),
            Node("ReduceSum", "", ["weights", "token_axis"], ["toxic_sum"], IntAttribute("keepdims", 1)),
            Node("Reshape", "", ["toxic_sum", "row_shape"], ["toxic_logit"]),
            Node("Concat", "", ["toxic_logit", "insult_logit"], ["logits"], IntAttribute("axis", 1)),
        };
        var initializers = new List<byte[]>
        {
            FloatTensor("token_weights", [Vocabulary.Length], [.. Vocabulary.Select(v => v.Weight)]),
            Int64Tensor("token_axis", [1], [0]),
            Int64Tensor("row_shape", [2], [1, 1]),
            FloatTensor("insult_logit", [1, 1], [-3]),
        };
        return Model(
            Graph(nodes, initializers, [ValueInfo("text", StringType, ["N"])], [ValueInfo("logits", FloatType, ["N", 2L])]),
            metadata);
    }

    /// <summary>The toxic logit <see cref="TokenizerInGraph"/> gives a lower-case, space-separated text.</summary>
    public static double TokenizerInGraphLogit(string text) =>
        -1 + text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Sum(word => Vocabulary.FirstOrDefault(v => v.Token == word).Weight);

    private static byte[] Model(byte[] graph, IReadOnlyDictionary<string, string>? metadata)
    {
        var model = new Proto().Varint(1, 8) // IR version 8
            .String(2, "QuikApp tests")
            .Message(8, new Proto().String(1, "").Varint(2, 13))
            .Message(8, new Proto().String(1, "ai.onnx.ml").Varint(2, 2))
            .Message(8, new Proto().String(1, "ai.onnx.contrib").Varint(2, 1))
            .Bytes(7, graph);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.Message(14, new Proto().String(1, key).String(2, value));
        }

        return model.ToArray();
    }

    private static byte[] Graph(List<byte[]> nodes, List<byte[]> initializers, byte[][] inputs, byte[][] outputs)
    {
        var graph = new Proto();
        nodes.ForEach(n => graph.Bytes(1, n));
        graph.String(2, "graph");
        initializers.ForEach(t => graph.Bytes(5, t));
        foreach (var input in inputs)
        {
            graph.Bytes(11, input);
        }

        foreach (var output in outputs)
        {
            graph.Bytes(12, output);
        }

        return graph.ToArray();
    }

    private static byte[] Node(string opType, string domain, IEnumerable<string> inputs, IEnumerable<string> outputs, params byte[][] attributes)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, $"{opType}_{Guid.NewGuid():N}").String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Bytes(5, attribute);
        }

        return node.String(7, domain).ToArray();
    }

    /// <summary>A typed, shaped graph input or output; a string dimension is symbolic (free), a long is fixed.</summary>
    private static byte[] ValueInfo(string name, int elementType, object[] shape)
    {
        var dims = new Proto();
        foreach (var dim in shape)
        {
            dims.Message(1, dim is string symbol ? new Proto().String(2, symbol) : new Proto().Varint(1, (long)dim));
        }

        var tensor = new Proto().Varint(1, elementType).Message(2, dims);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor)).ToArray();
    }

    private static byte[] FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (var d in dims)
        {
            tensor.Varint(1, d);
        }

        tensor.Varint(2, FloatType).String(8, name);
        return tensor.Bytes(9, [.. values.SelectMany(BitConverter.GetBytes)]).ToArray();
    }

    private static byte[] Int64Tensor(string name, long[] dims, long[] values)
    {
        var tensor = new Proto();
        foreach (var d in dims)
        {
            tensor.Varint(1, d);
        }

        tensor.Varint(2, Int64Type).String(8, name);
        return tensor.Bytes(9, [.. values.SelectMany(BitConverter.GetBytes)]).ToArray();
    }

    private static byte[] FloatAttribute(string name, float value) =>
        new Proto().String(1, name).Fixed32(2, value).Varint(20, 1).ToArray();

    private static byte[] IntAttribute(string name, long value) =>
        new Proto().String(1, name).Varint(3, value).Varint(20, 2).ToArray();

    private static byte[] StringAttribute(string name, string value) =>
        new Proto().String(1, name).String(4, value).Varint(20, 3).ToArray();

    private static byte[] FloatsAttribute(string name, float[] values)
    {
        var attribute = new Proto().String(1, name);
        foreach (var value in values)
        {
            attribute.Fixed32(7, value);
        }

        return attribute.Varint(20, 6).ToArray();
    }

    private static byte[] StringsAttribute(string name, string[] values)
    {
        var attribute = new Proto().String(1, name);
        foreach (var value in values)
        {
            attribute.String(9, value);
        }

        return attribute.Varint(20, 8).ToArray();
    }

    /// <summary>Just enough of the protobuf wire format (varints, fixed32, length-delimited) to write ONNX.</summary>
    private sealed class Proto
    {
        private readonly List<byte> _bytes = [];

        public Proto Varint(int field, long value) => Tag(field, 0).Raw((ulong)value);

        public Proto Fixed32(int field, float value)
        {
            Tag(field, 5);
            _bytes.AddRange(BitConverter.GetBytes(value));
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2).Raw((ulong)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private Proto Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private Proto Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
            return this;
        }
    }
}
