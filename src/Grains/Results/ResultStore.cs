using Hera.EngineAdapters.Abstractions;

namespace Hera.Grains.Results;

/// <summary>
/// Result files under one directory (<c>--results-dir</c>): local for the embedded silo, a shared path for a
/// cluster, so any gateway can serve any job's result. A result appears atomically: rows stream into a
/// <c>.partial</c> file that is flushed to disk and renamed only when complete, so a crash never leaves a
/// truncated file under a final name.
/// </summary>
public sealed class ResultStore
{
    private const string PartialSuffix = ".partial";
    private const string ResultSuffix = ".ndjson";

    /// <summary>Creates the directory if needed.</summary>
    public ResultStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>Absolute path of the results directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Streams <paramref name="rows"/> into the result of attempt <paramref name="attempt"/> of job
    /// <paramref name="jobId"/> on <paramref name="engine"/>; returns the row count and the file name relative to
    /// <see cref="Directory"/>. On any failure the partial file is removed. Engines racing in one attempt write
    /// separate files; the winner's becomes the job's result. A <see cref="ResultDurability.Transient"/> file is
    /// renamed without being flushed to disk first.
    /// </summary>
    public async Task<(long Rows, string RelativePath)> WriteAsync(
        string jobId,
        int attempt,
        string engine,
        IRowStream rows,
        ResultDurability durability,
        CancellationToken cancellationToken)
    {
        var final = FileName(jobId, attempt, engine);
        var partial = Path.Combine(Directory, $"{jobId}.{attempt}.{engine}{PartialSuffix}");
        try
        {
            long count;
            var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                count = await ResultFileWriter.WriteAsync(rows, file, cancellationToken).ConfigureAwait(false);

                // The job is marked succeed only after this returns; the data must be on disk before the name.
                file.Flush(flushToDisk: durability == ResultDurability.Durable);
            }

            File.Move(partial, Path.Combine(Directory, final), overwrite: true);
            return (count, final);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>The result file name of attempt <paramref name="attempt"/> of job <paramref name="jobId"/> on
    /// <paramref name="engine"/>, relative to <see cref="Directory"/>. Each attempt (and each engine of a race) has its
    /// own, so a late attempt can never overwrite a newer one.</summary>
    public static string FileName(string jobId, int attempt, string engine) => $"{jobId}.{attempt}.{engine}{ResultSuffix}";

    /// <summary>Removes every result file of one attempt (all engines); returns how many. For a lost attempt.</summary>
    public int DeleteAttempt(string jobId, int attempt)
    {
        var removed = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, $"{jobId}.{attempt}.*{ResultSuffix}"))
        {
            TryDelete(path);
            removed++;
        }

        return removed;
    }

    /// <summary>The absolute path of a stored result, or null when the file is missing.</summary>
    public string? Find(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(Directory, relativePath));
        return path.StartsWith(Directory, StringComparison.Ordinal) && File.Exists(path) ? path : null;
    }

    /// <summary>Removes a stored result if present (a result whose job lost ownership before completing).</summary>
    public void Delete(string relativePath) => TryDelete(Path.Combine(Directory, relativePath));

    /// <summary>Removes partial files left by a crash; returns how many. Call before any worker starts.</summary>
    public int DeleteLeftoverPartials()
    {
        var count = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + PartialSuffix))
        {
            TryDelete(path);
            count++;
        }

        return count;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover partial is harmless and removed at the next start.
        }
    }
}

/// <summary>Whether a result file must survive a crash of the machine once written.</summary>
public enum ResultDurability
{
    /// <summary>Flushed to disk before it gets its final name: a job's result, read later, perhaps by another silo.</summary>
    Durable,

    /// <summary>Left to the page cache: rows read once, right away, and deleted (an interactive race's).</summary>
    Transient,
}
