using BenchmarkDotNet.Running;

// dotnet run -c Release --project LoanOffice.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(LoanOffice.Bench.DomainBenchmarks).Assembly).Run(args);
