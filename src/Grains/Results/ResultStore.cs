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
    /// separate files; the winner's becomes the job's result.
    /// </summary>
    public async Task<(long Rows, string RelativePath)> WriteAsync(
        string jobId, int attempt, string engine, IRowStream rows, CancellationToken cancellationToken)
    {
        var final = FileName(jobId, attempt, engine);
        var partial = PartialPath(jobId, attempt, engine);
        try
        {
            long count;
            var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                count = await ResultFileWriter.WriteAsync(rows, file, cancellationToken).ConfigureAwait(false);

                // The job is marked succeed only after this returns; the data must be on disk before the name.
                file.Flush(flushToDisk: true);
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

    /// <summary>
    /// Streams <paramref name="rows"/> for a reader who takes them at once and keeps nothing (an interactive race's
    /// racer): in memory up to <paramref name="memoryLimitBytes"/>, past that into a result file of attempt
    /// <paramref name="attempt"/> on <paramref name="engine"/>, not flushed to disk. Memory stays bounded by the limit
    /// whatever the size; a small result never touches the disk. On any failure a partial file is removed.
    /// </summary>
    public async Task<HeldResult> HoldAsync(
        string jobId, int attempt, string engine, IRowStream rows, int memoryLimitBytes, CancellationToken cancellationToken)
    {
        var final = FileName(jobId, attempt, engine);
        var partial = PartialPath(jobId, attempt, engine);
        var spill = new SpillingStream(
            memoryLimitBytes, () => new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous));
        try
        {
            long count;
            await using (spill.ConfigureAwait(false))
            {
                count = await ResultFileWriter.WriteAsync(rows, spill, cancellationToken).ConfigureAwait(false);
            }

            if (spill.Held is { } held)
            {
                return new HeldResult(count, held, null);
            }

            File.Move(partial, Path.Combine(Directory, final), overwrite: true);
            return new HeldResult(count, null, final);
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

    // Where a result is written until it is whole; DeleteLeftoverPartials sweeps these after a crash.
    private string PartialPath(string jobId, int attempt, string engine) =>
        Path.Combine(Directory, $"{jobId}.{attempt}.{engine}{PartialSuffix}");

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

/// <summary>Rows held by <see cref="ResultStore.HoldAsync"/>: in <see cref="Memory"/>, or in the file at <see cref="Path"/>.</summary>
/// <param name="Rows">How many rows.</param>
/// <param name="Memory">The result lines (Hera's NDJSON), when they fitted in memory.</param>
/// <param name="Path">The result file relative to the results directory, when they did not.</param>
public sealed record HeldResult(long Rows, ReadOnlyMemory<byte>? Memory, string? Path);

/// <summary>A write-only stream that keeps what is written in memory up to a bound and moves it all to a stream it
/// opens when the bound would be passed.</summary>
internal sealed class SpillingStream(int memoryLimitBytes, Func<Stream> open) : Stream
{
    private MemoryStream? _memory = new();
    private Stream? _spilled;

    /// <summary>What was written, while it is all in memory; null once spilled.</summary>
    public ReadOnlyMemory<byte>? Held =>
        // The cast matters: a bare null would become an empty ReadOnlyMemory through its conversion from byte[].
        _memory is null ? (ReadOnlyMemory<byte>?)null : _memory.GetBuffer().AsMemory(0, (int)_memory.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_memory is not null && _memory.Length + buffer.Length <= memoryLimitBytes)
        {
            _memory.Write(buffer.Span);
            return;
        }

        if (_spilled is null)
        {
            _spilled = open();
            await _spilled.WriteAsync(_memory!.GetBuffer().AsMemory(0, (int)_memory.Length), cancellationToken).ConfigureAwait(false);
            _memory = null;
        }

        await _spilled.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _spilled?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    public override void Flush() => _spilled?.Flush();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("written asynchronously");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_spilled is not null)
        {
            await _spilled.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
