using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;

namespace LoanOffice.Web.Features.Calculator;

public static class CalculatorEndpoints
{
    public static IEndpointRouteBuilder MapCalculatorEndpoints(this IEndpointRouteBuilder app)
    {
        // Serves the officers' mobile app: signed-in staff only. Same JSON as './loanoffice schedule --json'.
        app.MapPost("/api/v1/calculator/schedule", (ScheduleRequest request) =>
            {
                var result = request.Build();
                return result.IsSuccess
                    ? Results.Text(ScheduleJson.Write(result.Value!), "application/json")
                    : Problems.From(result.Error!);
            })
            .RequireAuthorization(Policies.Staff)
            .WithTags("Calculator");

        // 贷款试算: the same JSON as './loanoffice simulate'; bad input is 400 problem details naming the field, with the code
        app.MapPost("/api/v1/calculator/simulate", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var result = SimulateCommand.Simulate(await reader.ReadToEndAsync());
                return result.IsSuccess ? Results.Text(result.Value!, "application/json") : Problems.From(result.Error!);
            })
            .Accepts<object>("application/json")
            .RequireAuthorization(Policies.Staff)
            .WithTags("Calculator");
        return app;
    }
}
