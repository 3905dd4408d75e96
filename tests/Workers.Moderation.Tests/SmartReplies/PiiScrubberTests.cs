using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>What the scrubber replaces (e-mail, phone, URL, mention) and what it must leave alone (times, dates, versions, amounts, code).</summary>
public sealed class PiiScrubberTests
{
    public static TheoryData<string, string> Positives => new()
    {
        // e-mail
        { "mail bob@example.com please", "mail <email> please" },
        { "Write to Jane.Doe+chat@mail.corp.co.uk.", "Write to <email>." },
        { "(alice_1@sub.example.io)", "(<email>)" },
        { "mailto:bob@example.com", "mailto:<email>" },
        // phone: international
        { "call +1 415 555 2671", "call <phone>" },
        { "call +14155552671 now", "call <phone> now" },
        { "+44 20 7946 0958 is the office", "<phone> is the office" },
        { "tel: +49 (0)30 1234567", "tel: <phone>" },
        { "+33 6 12 34 56 78", "<phone>" },
        { "+1-800-555-0199!", "<phone>!" },
        // phone: North American
        { "ring (415) 555-2671 tonight", "ring <phone> tonight" },
        { "415-555-2671", "<phone>" },
        { "415.555.2671", "<phone>" },
        { "415 555 2671, thanks", "<phone>, thanks" },
        { "1-800-555-0199", "<phone>" },
        { "my cell is 555-2671.", "my cell is <phone>." },
        // phone: trunk-prefix local
        { "020 7946 0958", "<phone>" },
        { "Festnetz 030 1234567", "Festnetz <phone>" },
        { "0171/1234567", "<phone>" },
        { "06 12 34 56 78", "<phone>" },
        { "07700 900123 or 07700900123", "<phone> or <phone>" },
        { "(030) 1234567", "<phone>" },
        // URLs
        { "see https://docs.example.com/a?b=1#c.", "see <url>." },
        { "http://localhost:3000/health", "<url>" },
        { "http://203.0.113.9:8080/admin now", "<url> now" },
        { "[docs](https://x.io/a)", "[docs](<url>)" },
        { "(see https://en.wikipedia.org/wiki/Foo_(bar))", "(see <url>)" },
        { "go to www.example.org today", "go to <url> today" },
        { "example.com/path/to?q=1 and bit.ly/x1", "<url> and <url>" },
        { "https://medium.com/@someone/post-123-4567", "<url>" },
        { "https://user@example.com/path", "<url>" },
        // mentions
        { "thanks @bob!", "thanks <mention>!" },
        { "@alice.smith and @_ops-team.", "<mention> and <mention>." },
        { "cc @everyone", "cc <mention>" },
        { "hey <@U024BE7LH> and <@U024BE7LH|bob>", "hey <mention> and <mention>" },
        { "<@!123456789> <@&987654321>", "<mention> <mention>" },
        { "<!here> standup", "<mention> standup" },
        // together
        { "@bob mail me at bob@x.io or call +44 20 7946 0958, see https://x.io", "<mention> mail me at <email> or call <phone>, see <url>" },
    };

    public static TheoryData<string> Negatives => new()
    {
        // times and dates
        "meet at 10:30 or 14:45:30",
        "10.30pm works",
        "on 2024-01-15 at 09:00",
        "on 15/01/2024 or 01/15/2024",
        "on 15.01.2024",
        "05/06/2024 10:30",
        "01-02-2024 10:30",
        "2024-01-15T10:30:00Z",
        "2019-2020 season",
        // versions, addresses, ids
        "bump to v1.2.3 or 1.2.3.4",
        "Windows 10.0.19045.2965",
        "ping 192.168.1.100",
        "order 4155552671 shipped",
        "ts 1700000000123",
        "zip 01234",
        "pages 10-20, score 3-2",
        // amounts
        "it costs $1,234,567.89",
        "€ 1.234.567,00 total",
        "1 000 000 users",
        "+1,000 points and +15%",
        "+100 karma",
        "0,50 € each",
        // code and file names
        "edit Program.cs and config.json, then run main.py",
        "x = a@b; y = foo.bar(3)",
        // plain text and words with @
        "meet me @ noon or @5pm",
        "no pii here at all",
        "email@ nothing",
    };

    [Theory]
    [MemberData(nameof(Positives))]
    public void Scrub_PersonalData_ReplacedByPlaceholders(string text, string expected)
    {
        Assert.Equal(expected, PiiScrubber.Scrub(text));
    }

    [Theory]
    [MemberData(nameof(Negatives))]
    public void Scrub_TimesDatesVersionsAmountsAndCode_LeftAlone(string text)
    {
        Assert.Equal(text, PiiScrubber.Scrub(text));
    }

    [Theory]
    [MemberData(nameof(Positives))]
    public void Scrub_ScrubbedText_IsUnchanged(string text, string expected)
    {
        _ = expected;
        var once = PiiScrubber.Scrub(text);

        Assert.Equal(once, PiiScrubber.Scrub(once));
    }

    [Fact]
    public void Scrub_Placeholders_AreLeftAsTheyAre()
    {
        var text = string.Join(" ", PiiScrubber.Placeholders);

        Assert.Equal(text, PiiScrubber.Scrub(text));
    }

    [Fact]
    public void Scrub_EmptyText_IsEmpty()
    {
        Assert.Equal("", PiiScrubber.Scrub(""));
    }
}
