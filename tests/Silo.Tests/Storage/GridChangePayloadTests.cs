using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Silo.Storage.Postgres;

namespace Hera.Silo.Tests.Storage;

/// <summary>The NOTIFY payload of a grid change: what one store instance tells the others.</summary>
public sealed class GridChangePayloadTests
{
    [Theory]
    [InlineData(GridChangeKind.Job, "j-1", 7)]
    [InlineData(GridChangeKind.JobNote, "j-1", 0)]
    [InlineData(GridChangeKind.Queue, "etl", 0)]
    [InlineData(GridChangeKind.Engine, "pg-2", 0)]
    [InlineData(GridChangeKind.Parameters, "business/a|b", 0)]
    [InlineData(GridChangeKind.Leader, "silo 1", 0)]
    public void Every_kind_round_trips_with_its_origin_key_and_version(GridChangeKind kind, string key, long version)
    {
        var payload = GridChangePayload.Format("origin1", kind, key, version);

        Assert.True(GridChangePayload.TryParse(payload, out var origin, out var change));
        Assert.Equal("origin1", origin);
        Assert.Equal(new GridChange(kind, key, version), change);
    }

    [Fact]
    public void A_key_too_long_for_a_notification_becomes_a_resync()
    {
        var payload = GridChangePayload.Format("o", GridChangeKind.Parameters, new string('é', 5000));

        Assert.True(GridChangePayload.TryParse(payload, out var origin, out var change));
        Assert.Equal("o", origin);
        Assert.Null(change);
    }

    [Fact]
    public void A_job_change_carries_the_record_as_written()
    {
        var job = Job("j-9", "SELECT 'ö|x' AS \"a|b\"") with
        {
            State = JobState.Failed,
            Version = 4,
            Attempts = 2,
            WorkerId = "silo-b",
            Error = new JobError("42P01", "relation \"nope\" does not exist"),
            StartedAt = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero).AddTicks(10),
            Score = 1.25,
        };

        Assert.True(GridChangePayload.TryParse(GridChangePayload.FormatJob("o", job), out _, out var change));

        var carried = Assert.IsType<JobRecord>(change!.Job);
        Assert.Equal(new GridChange(GridChangeKind.Job, "j-9", 4), change with { Job = null });
        Assert.Equal(job with { Spec = carried.Spec }, carried);
        Assert.Equal(job.Spec.Sql, carried.Spec.Sql);
        Assert.Equal(job.Spec.Labels, carried.Spec.Labels);
    }

    [Fact]
    public void A_job_too_large_for_a_notification_is_named_and_read_back_by_the_listener()
    {
        var job = Job("big", "SELECT '" + new string('x', 9000) + "'");

        Assert.True(GridChangePayload.TryParse(GridChangePayload.FormatJob("o", job), out _, out var change));

        Assert.Equal(new GridChange(GridChangeKind.Job, "big", job.Version), change);
    }

    private static JobRecord Job(string id, string sql) => new()
    {
        Id = id,
        Spec = JobSpec.ForSql(sql) with { Labels = new Dictionary<string, string> { ["business"] = "ads" } },
        State = JobState.Waiting,
        Version = 1,
        SubmittedAt = new DateTimeOffset(2026, 12, 7, 7, 59, 0, TimeSpan.Zero).AddTicks(30),
    };

    [Theory]
    [InlineData("")]
    [InlineData("o|job|x|k")]
    [InlineData("o|unknown|0|k")]
    [InlineData("o|job|1")]
    public void Foreign_payloads_are_not_read(string payload)
    {
        Assert.False(GridChangePayload.TryParse(payload, out _, out _));
    }
}
