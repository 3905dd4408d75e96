namespace QuikApp.Workers.Moderation.Scoring.Text;

/// <summary>One word of a normalised message, with the span of the original text it came from.</summary>
/// <param name="Value">The canonical word (folded, lower case, leetspeak decoded, letter runs capped at two).</param>
/// <param name="Alternate">
/// The same word with the ambiguous leetspeak characters read the other way ("1" as "l" rather than "i"), or null when
/// the word had none.
/// </param>
/// <param name="Elongated">A letter was repeated three or more times ("shiiiit") and the run was capped.</param>
/// <param name="EndsClause">Punctuation that ends a clause (. , ; ! ? or a line break) or the end of the text follows.</param>
/// <param name="Start">Where <paramref name="Value"/> starts in <see cref="NormalizedText.Text"/>.</param>
/// <param name="Original">The characters of the original message the word was made from.</param>
public readonly record struct NormalizedToken(
    string Value,
    string? Alternate,
    bool Elongated,
    bool EndsClause,
    int Start,
    TextSpan Original);
