using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>What counts as a link in chat text, and what (code, file names, e-mail) does not.</summary>
public sealed class LinkExtractorTests
{
    [Fact]
    public void Extract_SchemeWwwAndBareLinks_FindsEachHost()
    {
        var links = LinkExtractor.Extract("see https://Docs.Example.com/a?b=1#c, WWW.foo.org and bit.ly/x1 or example.net");

        Assert.Equal(["docs.example.com", "foo.org", "bit.ly", "example.net"], links.Select(l => l.Host));
    }

    [Theory]
    [InlineData("edit Program.cs and config.json, then run main.py")]
    [InlineData("bump to v1.2.3, e.g. like i.e. this")]
    [InlineData("mail bob@example.com or alice@corp.io")]
    [InlineData("the file is report.pdf and notes.md, see README.md")]
    [InlineData("no links here at all...")]
    public void Extract_CodeFileNamesAndEmail_FindsNoLinks(string text)
    {
        Assert.Empty(LinkExtractor.Extract(text));
    }

    [Fact]
    public void Extract_IpAddressWithScheme_IsALinkToThatAddress()
    {
        var link = Assert.Single(LinkExtractor.Extract("login at http://203.0.113.9:8080/admin now"));

        Assert.Equal("203.0.113.9", link.Host);
    }

    [Fact]
    public void Extract_LinkEndingASentence_LeavesThePunctuationOut()
    {
        const string Text = "go to example.com/deals.";

        var link = Assert.Single(LinkExtractor.Extract(Text));

        Assert.Equal("example.com/deals", Text.Substring(link.Index, link.Length));
    }

    [Fact]
    public void Extract_MarkdownLink_FindsTheTarget()
    {
        var link = Assert.Single(LinkExtractor.Extract("[free stuff](https://tinyurl.com/abc)"));

        Assert.Equal("tinyurl.com", link.Host);
    }

    [Theory]
    [InlineData("bit.ly", "bit.ly", true)]
    [InlineData("www.bit.ly", "bit.ly", true)]
    [InlineData("cdn.grabify.link", "grabify.link", true)]
    [InlineData("notbit.ly", "bit.ly", false)]
    [InlineData("bit.ly.evil.com", "bit.ly", false)]
    public void IsWithin_HostAndDomain_MatchesDomainAndSubdomainsOnly(string host, string domain, bool expected)
    {
        Assert.Equal(expected, LinkExtractor.IsWithin(host, domain));
    }
}
