namespace ScanWorker.Tests.Infrastructure;

/// <summary>Finds the checkout (the folder holding ScanWorker.sln) from the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ScanWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ScanWorker.sln not found above {AppContext.BaseDirectory}.");
    }
}
