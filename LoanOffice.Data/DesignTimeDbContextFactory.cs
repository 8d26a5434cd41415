using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LoanOffice.Data;

/// <summary>Used by <c>dotnet ef migrations add</c>; never at run time.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LoanOfficeDbContext>
{
    public LoanOfficeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LoanOfficeDbContext>();
        DependencyInjection.Configure(options, Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                                               ?? DependencyInjection.DevelopmentConnection);
        return new LoanOfficeDbContext(options.Options);
    }
}
