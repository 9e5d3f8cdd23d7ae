namespace Hera.ClientGateway.Metrics;

/// <summary>A thread-safe histogram of observations with fixed bucket bounds (in the observation's unit).</summary>
internal sealed class Histogram
{
    private readonly Lock _gate = new();
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    public Histogram(IReadOnlyList<double> bounds)
    {
        _bounds = [.. bounds];
        _counts = new long[_bounds.Length];
    }

    public void Observe(double value)
    {
        lock (_gate)
        {
            // Counts are kept per bucket and made cumulative on read, so an observation touches one slot.
            var bucket = Array.FindIndex(_bounds, bound => value <= bound);
            if (bucket >= 0)
            {
                _counts[bucket]++;
            }

            _sum += value;
            _count++;
        }
    }

    public HistogramSnapshot Snapshot()
    {
        lock (_gate)
        {
            var cumulative = new long[_counts.Length];
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                running += _counts[i];
                cumulative[i] = running;
            }

            return new HistogramSnapshot(_bounds, cumulative, _sum, _count);
        }
    }
}
