using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Text;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("  lots   of\tspace\n", "lots of space")]
    [InlineData("don't you're", "dont youre")]
    [InlineData("'quoted'", "quoted")]
    public void Normalize_PlainText_LowerCasesAndKeepsOnlyWords(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("fück", "fuck")]
    [InlineData("ça va, élève", "ca va eleve")]
    [InlineData("e\u0301te\u0301", "ete")] // decomposed accents
    [InlineData("z\u0351\u0352a\u0353\u0354l\u0355g\u0356o", "zalgo")]
    public void Normalize_Diacritics_AreStripped(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("f\u200Buck")] // zero-width space
    [InlineData("f\u200Cuck")] // zero-width non-joiner
    [InlineData("f\u200Duck")] // zero-width joiner
    [InlineData("f\u200Euck")] // left-to-right mark
    [InlineData("f\u2060uck")] // word joiner
    [InlineData("f\uFEFFuck")] // byte order mark
    [InlineData("f\u00ADuck")] // soft hyphen
    [InlineData("f\uFE0Fuck")] // variation selector
    [InlineData("f\u3164uck")] // Hangul filler
    public void Normalize_InvisibleCharacters_AreRemoved(string input)
    {
        Assert.Equal("fuck", TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("fuсk", "fuck")] // Cyrillic es
    [InlineData("ѕһіt", "shit")] // Cyrillic dze, shha, byelorussian i
    [InlineData("аss", "ass")] // Cyrillic a
    [InlineData("cυnt", "cunt")] // Greek upsilon
    [InlineData("ΗΕΛΛΟ", "heλλo")] // Greek capitals that look Latin fold; lambda has no look-alike
    [InlineData("ꜰᴜᴄᴋ", "fuck")] // small capitals
    public void Normalize_Homoglyphs_FoldToTheLatinLetterTheyImitate(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("ｆｕｃｋ", "fuck")]
    [InlineData("𝐟𝐮𝐜𝐤", "fuck")]
    [InlineData("ⓕⓤⓒⓚ", "fuck")]
    [InlineData("ﬁne", "fine")]
    [InlineData("Straße", "strasse")]
    public void Normalize_CompatibilityForms_FoldToPlainLetters(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("sh1t", "shit")]
    [InlineData("b1tch", "bitch")]
    [InlineData("$h!t", "shit")]
    [InlineData("a$$hole", "asshole")]
    [InlineData("@ss", "ass")]
    [InlineData("h3ll0 w0rld", "hello world")]
    [InlineData("n1gg3r", "nigger")]
    public void Normalize_LeetspeakInsideWords_IsDecoded(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("2024", "2024")]
    [InlineData("Galaxy A55", "galaxy a55")] // more digits than letters: a model number, not leetspeak
    [InlineData("h264 x86", "h264 x86")]
    [InlineData("$5 each", "5 each")]
    [InlineData("wow!!! c++", "wow c")] // edge punctuation isn't leetspeak
    [InlineData("10:30 on 2024-01-15", "10 30 on 2024 01 15")]
    public void Normalize_NumbersAndPunctuation_AreNotReadAsLeetspeak(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Fact]
    public void Normalize_AmbiguousLeetDigit_OffersTheOtherReadingAsAlternate()
    {
        var token = Assert.Single(TextNormalizer.Normalize("s1ut").Tokens);

        Assert.Equal("siut", token.Value);
        Assert.Equal("slut", token.Alternate);
    }

    [Fact]
    public void Normalize_WordWithoutAmbiguousCharacters_HasNoAlternate()
    {
        Assert.Null(Assert.Single(TextNormalizer.Normalize("sh3ll").Tokens).Alternate);
    }

    [Theory]
    [InlineData("s.h.i.t")]
    [InlineData("s h i t")]
    [InlineData("s-h-i-t")]
    [InlineData("s_h_i_t")]
    [InlineData("s*h*i*t")]
    [InlineData("s . h . i . t")]
    [InlineData("$.h.1.t")]
    public void Normalize_SingleLettersWithOneRepeatedSeparator_AreJoined(string input)
    {
        Assert.Equal("shit", TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("s.h-i_t", "s h i t")] // mixed separators are not one word spelled out
    [InlineData("e.g. this", "e g this")] // two letters are an abbreviation
    [InlineData("a = b - c", "a b c")]
    public void Normalize_SingleLettersWithoutOneRepeatedSeparator_StaySeparate(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Theory]
    [InlineData("shiiiiit", "shiit", true)]
    [InlineData("fuuuuuck", "fuuck", true)]
    [InlineData("asssss", "ass", true)]
    [InlineData("assassin", "assassin", false)]
    [InlineData("class", "class", false)]
    [InlineData("Scunthorpe", "scunthorpe", false)]
    [InlineData("2000", "2000", false)] // digits are never capped
    public void Normalize_LetterRuns_AreCappedAtTwoAndMarked(string input, string expected, bool elongated)
    {
        var token = Assert.Single(TextNormalizer.Normalize(input).Tokens);

        Assert.Equal(expected, token.Value);
        Assert.Equal(elongated, token.Elongated);
    }

    [Fact]
    public void Normalize_Tokens_MapBackToTheOriginalCharacters()
    {
        const string message = "Oh ｆ\u200Bü\u0308ck, that's s.h.i.t!";

        var text = TextNormalizer.Normalize(message);

        Assert.Equal(["oh", "fuck", "thats", "shit"], text.Tokens.Select(t => t.Value));
        Assert.Equal(["Oh", "ｆ\u200Bü\u0308ck", "that's", "s.h.i.t"], text.Tokens.Select(t => message[t.Original.Start..t.Original.End]));
    }

    [Fact]
    public void ToOriginal_SpanOfCanonicalText_CoversTheCharactersItCameFrom()
    {
        const string message = "well, ＳＨＩＩＩＩＴ!";
        var text = TextNormalizer.Normalize(message);
        var at = text.Text.IndexOf("shiit", StringComparison.Ordinal);

        var span = text.ToOriginal(at, "shiit".Length);

        Assert.Equal("ＳＨＩＩＩＩＴ", message[span.Start..span.End]);
    }

    [Theory]
    [InlineData("i will find you.", true)]
    [InlineData("i will find you", true)]
    [InlineData("i will find you, ok", true)]
    [InlineData("i will find you a seat", false)]
    public void Normalize_WordBeforePunctuationOrEnd_EndsAClause(string input, bool endsClause)
    {
        var you = TextNormalizer.Normalize(input).Tokens.Single(t => t.Value == "you");

        Assert.Equal(endsClause, you.EndsClause);
    }

    [Fact]
    public void Normalize_Emoji_IsAWordOfItsOwn()
    {
        var text = TextNormalizer.Normalize("ok🖕🏽lol");

        Assert.Equal(["ok", "🖕", "lol"], text.Tokens.Select(t => t.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ... ???")]
    [InlineData("\u200B\u200B")]
    public void Normalize_NothingToRead_HasNoTokens(string input)
    {
        var text = TextNormalizer.Normalize(input);

        Assert.Empty(text.Tokens);
        Assert.Equal(string.Empty, text.Text);
    }

    [Fact]
    public void Normalize_LoneSurrogate_IsIgnored()
    {
        Assert.Equal("ab", TextNormalizer.Normalize("a\uD800b").Text);
    }

    [Theory]
    [InlineData("  Hello   World \n", "hello world")]
    [InlineData("ＨＥＬＬＯ", "hello")]
    [InlineData("ﬁne", "fine")]
    [InlineData("Crème Brûlée", "crème brûlée")] // accents are kept: only compatibility forms fold
    [InlineData("sh1t", "sh1t")] // no leetspeak, homoglyph or invisible-character folding
    [InlineData("\u00A0non\u2003breaking\u00A0", "non breaking")]
    public void NormalizeForHash_Text_IsNfkcLowerCasedWithWhitespaceCollapsed(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.NormalizeForHash(input));
    }

    [Fact]
    public void NormalizeForHash_KnownInputs_NeverChangeOutput()
    {
        // Stored content hashes depend on these exact strings: a failure here means a migration, not a test update.
        Assert.Equal(1, TextNormalizer.HashFormVersion);
        Assert.Equal("fuck 1 dž ß i̇", TextNormalizer.NormalizeForHash("ＦＵＣＫ  ① Ǆ ß İ"));
    }
}
