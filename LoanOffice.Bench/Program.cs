using BenchmarkDotNet.Running;

// dotnet run -c Release --project LoanOffice.Bench -- --filter '*'        BenchmarkDotNet micro-benchmarks
// dotnet run -c Release --project LoanOffice.Bench -- queue [--rows N]   review queue at database scale
// dotnet run -c Release --project LoanOffice.Bench -- intake --url U      intake API load on a running app
// dotnet run -c Release --project LoanOffice.Bench -- reports [--runs 300]   approval report generation
// dotnet run -c Release --project LoanOffice.Bench -- report-downloads [--reports 1000]   reports through HTTP, ZIP memory
// dotnet run -c Release --project LoanOffice.Bench -- close [--sizes 100000,300000,1000000] [--naive 10000] [--without-cells] [--without-states]   close of business at scale
// dotnet run -c Release --project LoanOffice.Bench -- import [--loans 100000]   migration import: customers, loans, payment history
// dotnet run -c Release --project LoanOffice.Bench -- cockpit [--loans 1000000] [--runs 7] [--reuse] [--plans]   managers' cockpit at scale
// dotnet run -c Release --project LoanOffice.Bench -- field [--officers 80] [--days 365] [--per-day 685] [--map-officers 500] [--reuse] [--plans]   tracks and map at 20 M pings
// dotnet run -c Release --project LoanOffice.Bench -- field-ingest [--url U] [--concurrency 4] [--batch 1000]   signed ping batches through a running app
if (args.Length > 0 && args[0] == "field") return await LoanOffice.Bench.FieldBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "field-ingest") return await LoanOffice.Bench.FieldBenchmark.IngestAsync(args[1..]);
if (args.Length > 0 && args[0] == "cockpit") return await LoanOffice.Bench.CockpitBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "import") return await LoanOffice.Bench.ImportBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "queue") return await LoanOffice.Bench.QueueBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "close") return await LoanOffice.Bench.CloseBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "report-downloads") return await LoanOffice.Bench.ReportDownloadBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "reports") return await LoanOffice.Bench.ReportBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "intake") return await LoanOffice.Bench.IntakeBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(LoanOffice.Bench.DomainBenchmarks).Assembly).Run(args);
return 0;
