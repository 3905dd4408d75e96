namespace QuikApp.Workers.Testing;

/// <summary>Marker for the test-support assembly.</summary>
public static class TestSupportAssembly;
