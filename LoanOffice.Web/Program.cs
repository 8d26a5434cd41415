using LoanOffice.Data;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Ops;

// Command-line verbs (migrate, seed-demo, verify-audit, ...) share configuration and services with the app.
if (OpsCommands.IsCommand(args)) return await OpsCommands.RunAsync(args);
if (OpsCommands.IsUnknownVerb(args)) return OpsCommands.RefuseUnknown(args[0], Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLoanOfficeData(builder.Configuration);
builder.Services.AddLoanOfficeWeb(builder.Configuration);

var app = builder.Build();
app.UseLoanOfficeWeb();
await app.RunAsync();
return 0;
