using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// The part of MongoDB's query and update language the files store sends, executed on <see cref="BsonDocument"/>s so the
/// files double runs the store's own commands: where MongoDB refuses one (a dotted <c>$set</c> through a null parent) the
/// double refuses it too, and where a filter does not match across BSON types, it does not match here either.
/// </summary>
public static partial class MongoSemantics
{
    /// <summary>Executes filters, classic updates and update pipelines the way MongoDB 7 does, for the subset the stores use.</summary>
    /// <remarks>
    /// Supported: filters of field paths with equality, <c>$eq $ne $in $nin $exists $lt $lte $gt $gte</c>; classic
    /// updates with <c>$set $unset $min</c>; pipelines of <c>$set</c>/<c>$addFields</c> and <c>$unset</c> stages with
    /// the expressions <c>$literal $mergeObjects $cond $eq $type $ifNull $min</c> and field paths. Anything else throws
    /// <see cref="NotSupportedException"/>, so a new command shape cannot pass unexamined. Arrays are not traversed by
    /// paths (the files documents have none on a queried path).
    /// </remarks>
    public static class DocumentCommands
    {
        /// <summary>Whether <paramref name="document"/> matches <paramref name="filter"/>.</summary>
        public static bool Matches(BsonDocument document, BsonDocument filter)
        {
            ArgumentNullException.ThrowIfNull(document);
            ArgumentNullException.ThrowIfNull(filter);
            return filter.All(element => MatchesField(Resolve(document, element.Name), element.Value));
        }

        /// <summary>
        /// Applies <paramref name="update"/> (a classic update document, or a pipeline as a <see cref="BsonArray"/>) to
        /// <paramref name="document"/> in place. Throws the driver's <c>MongoWriteException</c> with MongoDB's code when
        /// the server would refuse it, leaving the document unchanged (a single-document update is atomic).
        /// </summary>
        public static void Apply(BsonDocument document, BsonValue update)
        {
            ArgumentNullException.ThrowIfNull(document);
            ArgumentNullException.ThrowIfNull(update);
            var working = document.DeepClone().AsBsonDocument;
            if (update is BsonArray pipeline)
            {
                foreach (var stage in pipeline.Cast<BsonDocument>())
                {
                    ApplyStage(working, stage);
                }
            }
            else
            {
                ApplyClassic(working, update.AsBsonDocument);
            }

            document.Clear();
            document.AddRange(working);
        }

        /// <summary>Orders values as a sort does: by type bracket, then within it (numbers numerically, dates by time).</summary>
        public static int CompareForSort(BsonValue? left, BsonValue? right)
        {
            left ??= BsonNull.Value;
            right ??= BsonNull.Value;
            var bracket = TypeBracket(left).CompareTo(TypeBracket(right));
            return bracket != 0 ? bracket : QueryCompare(left, right) ?? 0;
        }

        /// <summary>The value at a dotted <paramref name="path"/>, or null when the path is missing (a non-document parent included).</summary>
        public static BsonValue? Resolve(BsonDocument document, string path)
        {
            ArgumentNullException.ThrowIfNull(document);
            ArgumentNullException.ThrowIfNull(path);
            BsonValue current = document;
            foreach (var part in path.Split('.'))
            {
                if (current is not BsonDocument parent || !parent.TryGetValue(part, out var child))
                {
                    return null;
                }

                current = child;
            }

            return current;
        }

        private static bool MatchesField(BsonValue? field, BsonValue condition)
        {
            if (condition is not BsonDocument operators || operators.ElementCount == 0 || !operators.GetElement(0).Name.StartsWith('$'))
            {
                return QueryEquals(field, condition);
            }

            return operators.All(op => op.Name switch
            {
                "$eq" => QueryEquals(field, op.Value),
                "$ne" => !QueryEquals(field, op.Value),
                "$in" => QueryIn(field, op.Value.AsBsonArray),
                "$nin" => !QueryIn(field, op.Value.AsBsonArray),
                "$exists" => (field is not null) == op.Value.ToBoolean(),
                "$lt" => QueryCompare(field, op.Value) < 0,
                "$lte" => QueryCompare(field, op.Value) <= 0,
                "$gt" => QueryCompare(field, op.Value) > 0,
                "$gte" => QueryCompare(field, op.Value) >= 0,
                _ => throw new NotSupportedException($"query operator {op.Name} is not modelled by the in-memory double"),
            });
        }

        private static void ApplyClassic(BsonDocument document, BsonDocument update)
        {
            foreach (var op in update)
            {
                foreach (var field in op.Value.AsBsonDocument)
                {
                    switch (op.Name)
                    {
                        case "$set":
                            SetPath(document, field.Name, field.Value);
                            break;
                        case "$unset":
                            UnsetPath(document, field.Name);
                            break;
                        case "$min":
                            if (Resolve(document, field.Name) is not { } existing || CompareForSort(field.Value, existing) < 0)
                            {
                                SetPath(document, field.Name, field.Value);
                            }

                            break;
                        default:
                            throw new NotSupportedException($"update operator {op.Name} is not modelled by the in-memory double");
                    }
                }
            }
        }

        private static void ApplyStage(BsonDocument document, BsonDocument stage)
        {
            var (name, body) = (stage.GetElement(0).Name, stage.GetElement(0).Value);
            switch (name)
            {
                case "$set" or "$addFields":
                    // Every expression of a stage reads the document as it was before the stage.
                    var values = body.AsBsonDocument.Select(f => (f.Name, Value: Evaluate(document, f.Value))).ToList();
                    foreach (var (field, value) in values)
                    {
                        if (value is null)
                        {
                            UnsetPath(document, field);
                        }
                        else
                        {
                            SetPath(document, field, value);
                        }
                    }

                    break;
                case "$unset":
                    foreach (var field in body is BsonArray fields ? fields.Select(f => f.AsString) : [body.AsString])
                    {
                        UnsetPath(document, field);
                    }

                    break;
                default:
                    throw new NotSupportedException($"pipeline stage {name} is not modelled by the in-memory double");
            }
        }

        /// <summary>An aggregation expression's value; null stands for "missing".</summary>
        private static BsonValue? Evaluate(BsonDocument document, BsonValue expression)
        {
            switch (expression)
            {
                case BsonString { Value: var text } when text.StartsWith("$$", StringComparison.Ordinal):
                    throw new NotSupportedException($"variable {text} is not modelled by the in-memory double");
                case BsonString { Value: var text } when text.StartsWith('$'):
                    return Resolve(document, text[1..]);
                case BsonArray array:
                    return new BsonArray(array.Select(item => Evaluate(document, item) ?? BsonNull.Value));
                case BsonDocument { ElementCount: 1 } op when op.GetElement(0).Name.StartsWith('$'):
                    return Operator(document, op.GetElement(0).Name, op.GetElement(0).Value);
                case BsonDocument fields:
                    var result = new BsonDocument();
                    foreach (var field in fields)
                    {
                        if (Evaluate(document, field.Value) is { } value)
                        {
                            result.Add(field.Name, value);
                        }
                    }

                    return result;
                default:
                    return expression;
            }
        }

        private static BsonValue? Operator(BsonDocument document, string name, BsonValue argument)
        {
            if (name == "$literal")
            {
                return argument;
            }

            var args = argument is BsonArray list ? list.Select(a => Evaluate(document, a)).ToList() : [Evaluate(document, argument)];
            switch (name)
            {
                case "$mergeObjects":
                    var merged = new BsonDocument();
                    foreach (var item in args)
                    {
                        switch (item)
                        {
                            case null or BsonNull:
                                continue;
                            case BsonDocument part:
                                foreach (var field in part)
                                {
                                    merged.Set(field.Name, field.Value);
                                }

                                break;
                            default:
                                throw WriteError(40400, $"$mergeObjects requires object inputs, but input {item} is of type {item.BsonType}");
                        }
                    }

                    return merged;
                case "$cond":
                    return args[0] is { } condition && condition.ToBoolean() && condition is not BsonNull ? args[1] : args[2];
                case "$eq":
                    return CompareForSort(args[0], args[1]) == 0 && TypeBracket(args[0] ?? BsonNull.Value) == TypeBracket(args[1] ?? BsonNull.Value);
                case "$type":
                    return TypeName(args[0]);
                case "$ifNull":
                    return args.FirstOrDefault(a => a is not null and not BsonNull) ?? args[^1];
                case "$min":
                    var present = (args.Count == 1 && args[0] is BsonArray values ? values.Select(v => (BsonValue?)v) : args)
                        .Where(a => a is not null and not BsonNull).ToList();
                    return present.Count == 0 ? BsonNull.Value : present.Aggregate((a, b) => CompareForSort(b, a) < 0 ? b : a);
                default:
                    throw new NotSupportedException($"expression {name} is not modelled by the in-memory double");
            }
        }

        private static string TypeName(BsonValue? value) => value?.BsonType switch
        {
            null => "missing",
            BsonType.Document => "object",
            BsonType.Array => "array",
            BsonType.String => "string",
            BsonType.Null => "null",
            BsonType.Int32 => "int",
            BsonType.Int64 => "long",
            BsonType.Double => "double",
            BsonType.Boolean => "bool",
            BsonType.DateTime => "date",
            BsonType.Binary => "binData",
            BsonType.ObjectId => "objectId",
            var other => other.ToString()!.ToLowerInvariant(),
        };

        // MongoDB creates missing parents, but refuses to create a field inside a non-document (error 28, PathNotViable).
        private static void SetPath(BsonDocument document, string path, BsonValue value)
        {
            var parts = path.Split('.');
            var parent = document;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!parent.TryGetValue(parts[i], out var child))
                {
                    child = new BsonDocument();
                    parent.Add(parts[i], child);
                }

                if (child is not BsonDocument next)
                {
                    throw PathNotViable(parts[i + 1], parts[i], child);
                }

                parent = next;
            }

            parent.Set(parts[^1], value);
        }

        // $unset through a missing or non-document parent is a no-op, as on the server.
        private static void UnsetPath(BsonDocument document, string path)
        {
            var cut = path.LastIndexOf('.');
            var parent = cut < 0 ? document : Resolve(document, path[..cut]) as BsonDocument;
            parent?.Remove(cut < 0 ? path : path[(cut + 1)..]);
        }
    }
}
