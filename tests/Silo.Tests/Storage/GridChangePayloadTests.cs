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
