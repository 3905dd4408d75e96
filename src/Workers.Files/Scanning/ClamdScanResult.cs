using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>clamd's verdict on one stream: clean, infected (with the signature) or error (with the reason; never a verdict of clean).</summary>
public sealed record ClamdScanResult
{
    private ClamdScanResult(FileScanStatus status, string? signature, string? reason)
    {
        Status = status;
        Signature = signature;
        Reason = reason;
    }

    public static ClamdScanResult Clean { get; } = new(FileScanStatus.Clean, null, null);

    public FileScanStatus Status { get; }

    /// <summary>The matched signature, e.g. <c>Win.Test.EICAR_HDB-1</c>; set only when infected.</summary>
    public string? Signature { get; }

    /// <summary>Why there is no verdict (too large, timed out, clamd's error text); set only on error.</summary>
    public string? Reason { get; }

    public static ClamdScanResult Infected(string signature)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signature);
        return new(FileScanStatus.Infected, signature, null);
    }

    public static ClamdScanResult Error(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(FileScanStatus.Error, null, reason);
    }

    public override string ToString() => Status switch
    {
        FileScanStatus.Infected => $"Infected({Signature})",
        FileScanStatus.Error => $"Error({Reason})",
        _ => Status.ToString(),
    };
}
