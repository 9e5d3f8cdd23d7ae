using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Hera.Grains.Interactive;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>
/// An interactive query's record waits in the journal until a background write puts it in the store. Whatever moment a
/// request for it comes, it must be found: here the store's read is held back until the record has moved, the worst
/// interleaving, which a gateway asking the store before the journal answered with job_not_found.
/// </summary>
public sealed class InteractiveRecordTests : IClassFixture<InteractiveRecordTests.StaleReadFactory>
{
    private readonly StaleReadFactory _factory;

    public InteractiveRecordTests(StaleReadFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/v1/jobs/{0}", HttpStatusCode.OK)]
    [InlineData("/v1/jobs/{0}/events", HttpStatusCode.OK)]
    [InlineData("/v1/jobs/{0}/result", HttpStatusCode.Gone)]
    public async Task A_record_moving_from_the_journal_to_the_store_during_the_request_is_still_found(string path, HttpStatusCode expected)
    {
        using var http = _factory.CreateClient();
        var reads = _factory.Reads;
        reads.Journal = _factory.Services.GetRequiredService<InteractiveJournal>();
        reads.HoldImports();
        using var query = await http.PostAsync("/v1/query", new StringContent("""{"sql": "SELECT 1 AS n"}""", Encoding.UTF8, "application/json"));
        var id = query.Headers.GetValues("Hera-Job-Id").Single();
        await query.Content.ReadAsByteArrayAsync();

        reads.HoldBack(id);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(string.Format(CultureInfo.InvariantCulture, path, id));
        }
        finally
        {
            // Should the read never come, the journal must not stay blocked for the other tests and the shutdown.
            reads.ReleaseImports();
        }

        using var _ = response;
        Assert.True(reads.HeldBack(id), "the store's read of the record was not held back, so the test proved nothing");
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The embedded silo with its grid store behind <see cref="StaleReads"/>.</summary>
    public sealed class StaleReadFactory : HeraGatewayFactory
    {
        public StaleReads Reads { get; private set; } = null!;

        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["demo-data"] = "0",
            ["silo-id"] = "stale-reads",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(IGridStore));
                services.Remove(original);
                services.AddSingleton(sp =>
                {
                    var inner = (IGridStore)original.ImplementationFactory!(sp);
                    Reads = StaleReads.Around(inner);
                    return (IGridStore)(object)Reads;
                });
            });
        }
    }

    /// <summary>
    /// A grid store that can hold the journal's writes back until a read of a job it is told about has found nothing,
    /// and then answer that read only once the record has been written and has left the journal: the read saw the
    /// store a moment before the write.
    /// </summary>
    public class StaleReads : DispatchProxy
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _imported = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _heldBack = new(StringComparer.Ordinal);
        private TaskCompletionSource _importsMayGo = Released();
        private IGridStore _inner = null!;

        public InteractiveJournal? Journal { get; set; }

        public static StaleReads Around(IGridStore inner)
        {
            var proxy = (StaleReads)(object)Create<IGridStore, StaleReads>();
            proxy._inner = inner;
            return proxy;
        }

        /// <summary>From now on the journal's writes wait for a held-back read to find nothing.</summary>
        public void HoldImports() => _importsMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Lets the journal's writes go, held-back read or not.</summary>
        public void ReleaseImports() => _importsMayGo.TrySetResult();

        /// <summary>The next read of <paramref name="id"/> that finds nothing is answered late, as described above.</summary>
        public void HoldBack(string id) => _imported.TryAdd(id, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public bool HeldBack(string id) => _heldBack.ContainsKey(id);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            nameof(IGridStore.JobGetAsync) when _imported.TryGetValue((string)args![0]!, out var imported) =>
                StaleAsync((Task<JobRecord?>)targetMethod.Invoke(_inner, args)!, (string)args[0]!, imported.Task),
            nameof(IGridStore.JobImportAsync) =>
                ImportAsync((IReadOnlyList<JobImportParams>)args![0]!, (CancellationToken)args[1]!),
            _ => targetMethod.Invoke(_inner, args),
        };

        private static TaskCompletionSource Released()
        {
            var released = new TaskCompletionSource();
            released.SetResult();
            return released;
        }

        private async Task<JobRecord?> StaleAsync(Task<JobRecord?> read, string id, Task imported)
        {
            var found = await read;
            if (found is not null || !_heldBack.TryAdd(id, true))
            {
                return found;
            }

            // Found nothing: answer that, but only after the record is stored and gone from the journal.
            _importsMayGo.TrySetResult();
            await imported;
            while (Journal?.Find(id) is not null)
            {
                await Task.Yield();
            }

            return null;
        }

        private async Task ImportAsync(IReadOnlyList<JobImportParams> jobs, CancellationToken cancellationToken)
        {
            await _importsMayGo.Task;
            await _inner.JobImportAsync(jobs, cancellationToken);
            foreach (var job in jobs)
            {
                if (_imported.TryGetValue(job.Job.Id, out var imported))
                {
                    imported.TrySetResult();
                }
            }
        }
    }
}
