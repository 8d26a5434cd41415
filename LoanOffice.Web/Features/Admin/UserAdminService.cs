using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Identity;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.People;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using LoanOffice.Web.Resources;

namespace LoanOffice.Web.Features.Admin;

public sealed record UserAdminRow(Guid Id, string UserName, string DisplayName, string? Email, Guid? TeamId, string? TeamName,
    IReadOnlyList<string> Roles, bool LockedOut, string ConcurrencyStamp)
{
    /// <summary>The work phone (an officer's offline alerts are sent to it).</summary>
    public string? Mobile { get; init; }
}

/// <param name="Mobile">The work phone (optional; an officer's offline alerts go to it).</param>
public sealed record CreateUserCommand(string UserName, string DisplayName, string? Email, Guid? TeamId, IReadOnlyCollection<string> Roles, string Password, string? Mobile = null);

public sealed record UpdateUserCommand(Guid Id, string DisplayName, string? Email, Guid? TeamId, IReadOnlyCollection<string> Roles, string ConcurrencyStamp, string? Mobile = null);

/// <summary>
/// User administration. Each command runs in its own DI scope and database transaction (Identity's UserManager saves
/// several times per command; the transaction makes the command all-or-nothing) and is refused unless the caller is Admin.
/// </summary>
public sealed class UserAdminService(
    IServiceScopeFactory scopeFactory,
    IDbContextFactory<LoanOfficeDbContext> dbFactory,
    CurrentUser currentUser,
    IAuditContext auditContext,
    TimeProvider clock,
    AccessTokens tokens)
{
    /// <summary>A user's access tokens (never their secrets).</summary>
    public async Task<Result<IReadOnlyList<AccessTokenRow>>> TokensAsync(Guid userId, CancellationToken ct = default)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        return Result.Success(await tokens.OfUserAsync(userId, ct));
    }

    /// <summary>Makes an access token for a user; the secret is in the answer and nowhere else.</summary>
    public async Task<Result<string>> CreateTokenAsync(string userName, string? name, int? days, CancellationToken ct = default)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        var made = await tokens.CreateAsync(userName, name, days, auditContext.Actor, ct);
        return made.IsSuccess ? made.Value.Secret : made.Error!;
    }

    public async Task<Result> RevokeTokenAsync(string name, CancellationToken ct = default)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        return await tokens.RevokeAsync(name, auditContext.Actor, ct);
    }

    public async Task<PagedResult<UserAdminRow>> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await EnsureAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (Search.SearchQueries.Clean(search) is { Length: > 0 } text)
        {
            var pattern = Search.SearchQueries.LikeContains(text);
            query = query.Where(u => EF.Functions.ILike(u.UserName!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(u => u.UserName).Page(page, pageSize).Select(u => new
        {
            u.Id, u.UserName, u.DisplayName, u.Email, u.TeamId, u.LockoutEnd, u.ConcurrencyStamp, u.PhoneNumber,
            TeamName = db.Teams.Where(t => t.Id == u.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).FirstOrDefault(),
        }).ToListAsync(ct);
        var roles = await PeopleQueries.RolesOfAsync(db, rows.Select(r => r.Id).ToArray(), ct);
        var now = clock.GetUtcNow();
        return new PagedResult<UserAdminRow>(rows.Select(r => new UserAdminRow(r.Id, r.UserName!, r.DisplayName, r.Email, r.TeamId,
            r.TeamName, roles.GetValueOrDefault(r.Id) ?? [], r.LockoutEnd > now, r.ConcurrencyStamp ?? string.Empty) { Mobile = r.PhoneNumber }).ToList(), total, page, pageSize);
    }

    /// <summary>A work phone: empty for none, else a mainland mobile number (normalised).</summary>
    private static Result<string?> Mobile(string? input) =>
        string.IsNullOrWhiteSpace(input) ? Result.Success<string?>(null)
        : LoanOffice.Domain.Validation.MobileNumber.Validate(input) is { IsSuccess: true } ok ? Result.Success<string?>(ok.Value) : Error.Of(ErrorCodes.MobileFormat).At("mobile");

    public async Task<Result<Guid>> CreateAsync(CreateUserCommand command)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        if ((ValidateUserName(command.UserName) ?? ValidateProfile(command.DisplayName, command.Roles)) is { } invalid) return invalid;
        if (string.IsNullOrEmpty(command.Password)) return Error.Of(ErrorCodes.AdminPasswordRequired).At("password");
        var mobile = Mobile(command.Mobile);
        if (!mobile.IsSuccess) return mobile.Error!;

        return await InTransactionAsync(async (users, db) =>
        {
            var normalized = users.NormalizeName(command.UserName.Trim());
            if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized))
                return Error.Of(ErrorCodes.AdminUserNameTaken).At("userName");
            if (await TeamMissingAsync(db, command.TeamId)) return Error.Of(ErrorCodes.AdminTeamUnknown).At("teamId");
            var user = new AppUser
            {
                Id = Guid.CreateVersion7(),
                UserName = command.UserName.Trim(),
                DisplayName = command.DisplayName.Trim(),
                Email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim(),
                TeamId = command.TeamId,
                PhoneNumber = mobile.Value,
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(user, command.Password);
            if (!created.Succeeded) return IdentityError(created);
            var roles = await users.AddToRolesAsync(user, command.Roles.Distinct());
            if (!roles.Succeeded) return IdentityError(roles);
            return Result.Success(user.Id);
        });
    }

    public async Task<Result> UpdateAsync(UpdateUserCommand command)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        if (ValidateProfile(command.DisplayName, command.Roles) is { } invalid) return invalid;
        var mobile = Mobile(command.Mobile);
        if (!mobile.IsSuccess) return mobile.Error!;
        var result = await InTransactionAsync(async (users, db) =>
        {
            var user = await users.FindByIdAsync(command.Id.ToString());
            if (user is null) return Error.Of(ErrorCodes.AdminUserNotFound);
            if (user.ConcurrencyStamp != command.ConcurrencyStamp)
                return Error.Of(ErrorCodes.AdminUserConflict);
            if (await TeamMissingAsync(db, command.TeamId)) return Error.Of(ErrorCodes.AdminTeamUnknown).At("teamId");
            if (user.Id == await currentUser.GetIdAsync() && !command.Roles.Contains(Roles.Admin))
                return Error.Of(ErrorCodes.AdminOwnAdminRole).At("roles");

            user.DisplayName = command.DisplayName.Trim();
            user.Email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim();
            user.TeamId = command.TeamId;
            user.PhoneNumber = mobile.Value;
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return IdentityError(updated);

            var current = await users.GetRolesAsync(user);
            var toRemove = current.Except(command.Roles).ToList();
            var toAdd = command.Roles.Except(current).Distinct().ToList();
            if (toRemove.Count > 0 && await users.RemoveFromRolesAsync(user, toRemove) is { Succeeded: false } r1) return IdentityError(r1);
            if (toAdd.Count > 0 && await users.AddToRolesAsync(user, toAdd) is { Succeeded: false } r2) return IdentityError(r2);
            if (toRemove.Count > 0 || toAdd.Count > 0)
                await users.UpdateSecurityStampAsync(user); // open circuits of this user revalidate and pick up the new roles

            if (!command.Roles.Contains(Roles.Approver))
                await db.TeamApprovers.Where(a => a.UserId == user.Id).ExecuteDeleteAsync();
            return Result.Success(user.Id);
        });
        return result.IsSuccess ? Result.Success() : Result.Failure(result.Error!);
    }

    /// <summary>Locks a user out indefinitely (or unlocks). Takes effect in the user's open sessions at the next revalidation.</summary>
    public async Task<Result> SetLockedAsync(Guid id, bool locked)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        if (locked && id == await currentUser.GetIdAsync()) return Error.Of(ErrorCodes.AdminLockSelf);
        var result = await InTransactionAsync(async (users, _) =>
        {
            var user = await users.FindByIdAsync(id.ToString());
            if (user is null) return Error.Of(ErrorCodes.AdminUserNotFound);
            await users.SetLockoutEnabledAsync(user, true);
            var r = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (!r.Succeeded) return IdentityError(r);
            if (!locked) await users.ResetAccessFailedCountAsync(user);
            await users.UpdateSecurityStampAsync(user);
            return Result.Success(user.Id);
        });
        return result.IsSuccess ? Result.Success() : Result.Failure(result.Error!);
    }

    public async Task<Result> ResetPasswordAsync(Guid id, string newPassword)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        if (string.IsNullOrEmpty(newPassword)) return Error.Of(ErrorCodes.AdminPasswordRequired).At("password");
        var result = await InTransactionAsync(async (users, _) =>
        {
            var user = await users.FindByIdAsync(id.ToString());
            if (user is null) return Error.Of(ErrorCodes.AdminUserNotFound);
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var r = await users.ResetPasswordAsync(user, token, newPassword);
            if (!r.Succeeded) return IdentityError(r);
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            return Result.Success(user.Id);
        });
        return result.IsSuccess ? Result.Success() : Result.Failure(result.Error!);
    }

    private async Task<Result<Guid>> InTransactionAsync(Func<UserManager<AppUser>, LoanOfficeDbContext, Task<Result<Guid>>> work)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>();
        db.AuditContext = auditContext;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var result = await work(users, db);
        if (result.IsSuccess) await tx.CommitAsync();
        else await tx.RollbackAsync();
        return result;
    }

    private static Error? ValidateUserName(string userName)
    {
        var name = userName.Trim();
        if (name.Length is < 3 or > 50) return Error.Of(ErrorCodes.AdminUserNameLength).At("userName");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            return Error.Of(ErrorCodes.AdminUserNameChars).At("userName");
        return null;
    }

    private static Error? ValidateProfile(string displayName, IReadOnlyCollection<string> roles)
    {
        if (string.IsNullOrWhiteSpace(displayName)) return Error.Of(ErrorCodes.AdminDisplayNameRequired).At("displayName");
        if (displayName.Trim().Length > 100) return Error.Of(ErrorCodes.AdminDisplayNameLength).At("displayName");
        if (roles.Count == 0) return Error.Of(ErrorCodes.AdminRolesRequired).At("roles");
        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown) return Error.Of(ErrorCodes.AdminUnknownRole, unknown).At("roles");
        return null;
    }

    private static async Task<bool> TeamMissingAsync(LoanOfficeDbContext db, Guid? teamId) =>
        teamId is { } id && !await db.Teams.AnyAsync(t => t.Id == id);

    private static Error IdentityError(IdentityResult result)
    {
        var first = result.Errors.First();
        var field = first.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
            : first.Code.Contains("UserName", StringComparison.Ordinal) ? "userName"
            : first.Code == "ConcurrencyFailure" ? null : "form";
        return field is null
            ? Error.Of(ErrorCodes.AdminUserConflict)
            : Error.ForField(field, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private async Task EnsureAdminAsync()
    {
        if (!await currentUser.IsInRoleAsync(Roles.Admin)) throw new UnauthorizedAccessException("Admin role required.");
    }

    private async Task<Error?> RefuseUnlessAdminAsync() =>
        await currentUser.IsInRoleAsync(Roles.Admin) ? null : Error.Of(ErrorCodes.AdminAdminOnly);
}
