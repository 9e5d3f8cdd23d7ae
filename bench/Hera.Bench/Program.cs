using Hera.Bench;

// Usage: dotnet run -c Release --project bench/Hera.Bench -- e2e [--jobs N] [--concurrency C]
//        dotnet run -c Release --project bench/Hera.Bench -- engines [--points N] [--scans N] [--races N] [--race-only]
return args.FirstOrDefault() switch
{
    "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
    "engines" => await EngineBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Hera.Bench e2e [--jobs N] [--concurrency C] [--warmup N]");
    Console.Error.WriteLine("       Hera.Bench engines [--points N] [--scans N] [--races N] [--race-only]   (needs HERA_TEST_PG and HERA_TEST_CH)");
    return 2;
}
