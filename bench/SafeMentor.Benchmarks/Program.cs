using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/SafeMentor.Benchmarks -- --filter '*'
// Read the Ratio column: each suite measures its own baseline in the same run, so numbers from
// shared, noisy machines stay comparable.
BenchmarkSwitcher.FromAssembly(typeof(SafeMentor.Benchmarks.RatchetBenchmarks).Assembly).Run(args);
