using Hera.Bench;

// Usage: dotnet run -c Release --project bench/Hera.Bench -- e2e [--jobs N] [--concurrency C]
return args.FirstOrDefault() switch
{
    "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Hera.Bench e2e [--jobs N] [--concurrency C] [--warmup N]");
    return 2;
}
