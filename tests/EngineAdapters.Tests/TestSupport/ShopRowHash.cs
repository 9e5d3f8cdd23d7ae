using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hera.EngineAdapters.Demo;

namespace Hera.EngineAdapters.Tests.TestSupport;

/// <summary>SHA-256 over a canonical text form of every generated row, streamed (no table held in memory).</summary>
internal static class ShopRowHash
{
    public static string Of(ShopGenerator generator)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in ShopSchema.Tables)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"#{table.Name}\n"));
            foreach (var row in generator.Rows(table))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', row.Select(Canonical)) + "\n"));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Canonical(object? value) => value switch
    {
        null => "null",
        int number => $"i:{number.ToString(CultureInfo.InvariantCulture)}",
        long number => $"l:{number.ToString(CultureInfo.InvariantCulture)}",
        decimal money => $"m:{money.ToString(CultureInfo.InvariantCulture)}",
        string text => $"s:{text}",
        DateOnly date => $"d:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        DateTime timestamp => $"t:{timestamp.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}:{timestamp.Kind}",
        _ => throw new InvalidOperationException($"Unexpected generated value type {value.GetType()}."),
    };
}
