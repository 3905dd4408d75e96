using System.Text;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>clamd's INSTREAM replies read into verdicts: only "stream: OK" is clean.</summary>
/// <remarks>Pure and synchronous, so no Timeout (xUnit1069): nothing here can hang.</remarks>
public sealed class ClamdReplyParserTests
{
    [Fact]
    public void ParseScanReply_StreamOk_IsClean()
    {
        var result = ClamdReplyParser.ParseScanReply(Reply("stream: OK\0"));

        Assert.Equal(FileScanStatus.Clean, result.Status);
        Assert.Null(result.Signature);
        Assert.Null(result.Reason);
    }

    [Theory]
    [InlineData("stream: Eicar-Test-Signature FOUND\0", "Eicar-Test-Signature")]
    [InlineData("stream: Win.Test.EICAR_HDB-1 FOUND\0", "Win.Test.EICAR_HDB-1")]
    [InlineData("stream: QuikApp.Test.EICAR.NDB.UNOFFICIAL FOUND\0", "QuikApp.Test.EICAR.NDB.UNOFFICIAL")]
    [InlineData("stream: Heuristics.Phishing.Email.SpoofedDomain FOUND\0", "Heuristics.Phishing.Email.SpoofedDomain")]
    public void ParseScanReply_SignatureFound_IsInfectedWithTheSignature(string reply, string signature)
    {
        var result = ClamdReplyParser.ParseScanReply(Reply(reply));

        Assert.Equal(FileScanStatus.Infected, result.Status);
        Assert.Equal(signature, result.Signature);
    }

    [Theory]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0", "Heuristics.Limits.Exceeded.MaxScanSize")]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND\0", "Heuristics.Limits.Exceeded.MaxFileSize")]
    [InlineData("stream: Heuristics.Encrypted.Zip FOUND\0", "Heuristics.Encrypted.Zip")]
    public void ParseScanReply_NotEverythingScannedHeuristic_IsErrorNotInfected(string reply, string signature)
    {
        var result = ClamdReplyParser.ParseScanReply(Reply(reply));

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Null(result.Signature);
        Assert.Equal($"clamd could not scan all of it: {signature}", result.Reason);
    }

    [Fact]
    public void ParseScanReply_SizeLimitExceeded_IsErrorWithClamdsText()
    {
        var result = ClamdReplyParser.ParseScanReply(Reply("INSTREAM size limit exceeded. ERROR\0"));

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Equal("clamd: INSTREAM size limit exceeded.", result.Reason);
        Assert.Null(result.Signature);
    }

    [Theory]
    [InlineData("stream: Can't allocate memory ERROR\0", "clamd: Can't allocate memory")]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxFileSize ERROR\0", "clamd: Heuristics.Limits.Exceeded.MaxFileSize")]
    [InlineData("ERROR\0", "clamd: ERROR")]
    public void ParseScanReply_AnyError_IsErrorWithTheReason(string reply, string reason)
    {
        var result = ClamdReplyParser.ParseScanReply(Reply(reply));

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("", "without a reply")]
    [InlineData("\0", "unexpected clamd reply")]
    [InlineData("stream: OK", "before its NUL terminator")]
    [InlineData("stream: O", "before its NUL terminator")]
    [InlineData("PONG\0", "unexpected clamd reply")]
    [InlineData("UNKNOWN COMMAND\0", "unexpected clamd reply")]
    [InlineData("1: stream: OK\0", "unexpected clamd reply")]
    [InlineData("stream: OKAY\0", "unexpected clamd reply")]
    [InlineData("stream:  FOUND\0", "unexpected clamd reply")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n", "before its NUL terminator")]
    public void ParseScanReply_EmptyGarbageOrUnterminated_IsErrorNeverClean(string reply, string reasonPart)
    {
        var result = ClamdReplyParser.ParseScanReply(Reply(reply));

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Contains(reasonPart, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScanReply_BinaryGarbage_QuotesItPrintablyAndShort()
    {
        var garbage = new byte[4000];
        new Random(42).NextBytes(garbage);
        for (var i = 0; i < garbage.Length; i++)
        {
            garbage[i] = garbage[i] == 0 ? (byte)1 : garbage[i];
        }

        garbage[^1] = 0;

        var result = ClamdReplyParser.ParseScanReply(garbage);

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.True(result.Reason!.Length < 200, result.Reason);
        Assert.DoesNotContain(result.Reason, char.IsControl);
    }

    [Fact]
    public void ParseScanReply_BytesAfterTheTerminator_AreIgnored()
    {
        var result = ClamdReplyParser.ParseScanReply(Reply("stream: OK\0stream: Evil FOUND\0"));

        Assert.Equal(FileScanStatus.Clean, result.Status);
    }

    [Theory]
    [InlineData("PONG\0", true, "PONG")]
    [InlineData("ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026\0", true, "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026")]
    [InlineData("PONG", false, null)]
    [InlineData("", false, null)]
    public void TryReadReply_WithOrWithoutTerminator_ReadsOnlyCompleteReplies(string reply, bool complete, string? text)
    {
        var read = ClamdReplyParser.TryReadReply(Reply(reply), out var actual);

        Assert.Equal(complete, read);
        Assert.Equal(text, actual);
    }

    private static byte[] Reply(string text) => Encoding.ASCII.GetBytes(text);
}
