using Hera.Bench;

// Usage: dotnet run -c Release --project bench/Hera.Bench -- e2e [--jobs N] [--concurrency C]
//        dotnet run -c Release --project bench/Hera.Bench -- engines [--points N] [--scans N] [--races N] [--race-only]
//        dotnet run -c Release --project bench/Hera.Bench -- cluster [--jobs N] [--concurrency C] [--latency-jobs N] [--kills N] [--idle-seconds N]
return args.FirstOrDefault() switch
{
    "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
    "engines" => await EngineBenchmark.RunAsync(args[1..]),
    "cluster" => await ClusterBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Hera.Bench e2e [--jobs N] [--concurrency C] [--warmup N]");
    Console.Error.WriteLine("       Hera.Bench engines [--points N] [--scans N] [--races N] [--race-only]   (needs HERA_TEST_PG and HERA_TEST_CH)");
    Console.Error.WriteLine("       Hera.Bench cluster [--jobs N] [--concurrency C] [--latency-jobs N] [--kills N] [--idle-seconds N]   (needs HERA_TEST_PG)");
    return 2;
}
