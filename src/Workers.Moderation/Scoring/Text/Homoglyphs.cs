using System.Collections.Frozen;

namespace QuikApp.Workers.Moderation.Scoring.Text;

/// <summary>
/// Letters from other scripts (and Latin small capitals) that pass for Latin letters, mapped to the letter they
/// imitate. Applied before case folding because upper and lower case imitate different letters (Greek Η looks like H,
/// η like n).
/// </summary>
/// <remarks>
/// Folding is unconditional, so Cyrillic and Greek words themselves become nonsense Latin: the lexicons hold no words
/// in those scripts, and a message spelling an English word with one Cyrillic letter ("fuсk") is the common evasion.
/// </remarks>
internal static class Homoglyphs
{
    private static readonly FrozenDictionary<char, string> Map = new Dictionary<char, string>
    {
        // Cyrillic capitals
        ['А'] = "A", ['В'] = "B", ['Е'] = "E", ['Ѕ'] = "S", ['І'] = "I", ['Ј'] = "J", ['К'] = "K", ['М'] = "M",
        ['Н'] = "H", ['О'] = "O", ['Р'] = "P", ['С'] = "C", ['Т'] = "T", ['У'] = "Y", ['Х'] = "X", ['Ү'] = "Y",
        ['Ԛ'] = "Q", ['Ԝ'] = "W", ['Ь'] = "b", ['И'] = "N", ['П'] = "N", ['Ш'] = "W", ['Я'] = "R",
        // Cyrillic small letters
        ['а'] = "a", ['в'] = "b", ['е'] = "e", ['ѕ'] = "s", ['і'] = "i", ['ј'] = "j", ['к'] = "k", ['м'] = "m",
        ['н'] = "h", ['о'] = "o", ['р'] = "p", ['с'] = "c", ['т'] = "t", ['у'] = "y", ['х'] = "x", ['ү'] = "y",
        ['һ'] = "h", ['ԁ'] = "d", ['ԛ'] = "q", ['ԝ'] = "w", ['ӏ'] = "l", ['Ӏ'] = "l", ['ь'] = "b", ['и'] = "n",
        ['п'] = "n", ['ш'] = "w", ['я'] = "r",
        // Greek capitals
        ['Α'] = "A", ['Β'] = "B", ['Ε'] = "E", ['Ζ'] = "Z", ['Η'] = "H", ['Ι'] = "I", ['Κ'] = "K", ['Μ'] = "M",
        ['Ν'] = "N", ['Ο'] = "O", ['Ρ'] = "P", ['Τ'] = "T", ['Υ'] = "Y", ['Χ'] = "X",
        // Greek small letters
        ['α'] = "a", ['β'] = "b", ['γ'] = "y", ['ε'] = "e", ['η'] = "n", ['ι'] = "i", ['κ'] = "k", ['ν'] = "v",
        ['ο'] = "o", ['ρ'] = "p", ['σ'] = "o", ['τ'] = "t", ['υ'] = "u", ['χ'] = "x", ['ω'] = "w", ['μ'] = "u",
        ['ϲ'] = "c",
        // Armenian
        ['օ'] = "o", ['ս'] = "u", ['ց'] = "g", ['հ'] = "h", ['ո'] = "n",
        // Latin letters with no decomposition, and small capitals
        ['ß'] = "ss", ['ẞ'] = "ss", ['æ'] = "ae", ['Æ'] = "AE", ['œ'] = "oe", ['Œ'] = "OE", ['ø'] = "o", ['Ø'] = "O",
        ['ł'] = "l", ['Ł'] = "L", ['đ'] = "d", ['Đ'] = "D", ['ð'] = "d", ['ħ'] = "h", ['ŧ'] = "t", ['ı'] = "i",
        ['ɑ'] = "a", ['ɡ'] = "g", ['ɪ'] = "i", ['ʟ'] = "l", ['ᴀ'] = "a", ['ʙ'] = "b", ['ᴄ'] = "c", ['ᴅ'] = "d",
        ['ᴇ'] = "e", ['ꜰ'] = "f", ['ɢ'] = "g", ['ʜ'] = "h", ['ᴊ'] = "j", ['ᴋ'] = "k", ['ᴍ'] = "m", ['ɴ'] = "n",
        ['ᴏ'] = "o", ['ᴘ'] = "p", ['ʀ'] = "r", ['ꜱ'] = "s", ['ᴛ'] = "t", ['ᴜ'] = "u", ['ᴠ'] = "v", ['ᴡ'] = "w",
        ['ʏ'] = "y", ['ᴢ'] = "z",
    }.ToFrozenDictionary();

    public static string? For(char c) => Map.GetValueOrDefault(c);
}
