using LoanOffice.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LoanOffice.Data;

public static class IdentitySetup
{
    /// <summary>Password, lockout and hashing rules shared by the app and the Ops commands.</summary>
    public static IdentityBuilder AddLoanOfficeIdentityCore(this IServiceCollection services)
    {
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        return services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<LoanOfficeDbContext>();
    }
}
