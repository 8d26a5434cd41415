using LoanOffice.Data.Identity;
using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data.Seeding;

/// <summary>
/// The demo company: 2 regions, 3 teams (one committee-mode, two centralized with 3 approvers each) and one user per
/// role. Idempotent: everything is looked up by code or user name first, so a second run changes nothing.
/// </summary>
public sealed class DemoCompanySeeder(LoanOfficeDbContext db, UserManager<AppUser> users, RoleManager<AppRole> roles, TimeProvider clock)
{
    /// <summary>The password of every demo user (documented in the README).</summary>
    public const string DemoPassword = "loanoffice-demo-2026";

    public sealed record DemoUser(string UserName, string DisplayName, string Role, string? TeamCode);

    /// <summary>The demo staff: the display name is the person's name alone (the role is shown, in the user's language, beside it).</summary>
    public static readonly IReadOnlyList<DemoUser> DemoUsers =
    [
        new("admin", "王立", Roles.Admin, null),
        new("gm", "陈建国", Roles.GeneralManager, null),
        new("director", "刘海", Roles.RegionalDirector, "HZ01"),
        new("lead", "赵敏", Roles.TeamLead, "HZ01"),
        new("officer", "孙伟", Roles.LoanOfficer, "HZ01"),
        new("reviewer", "周静", Roles.Reviewer, null),
        new("approver", "吴昊", Roles.Approver, "HZ01"),
        new("chief", "郑强", Roles.ChiefApprover, null),
        // a second chief: the one who settles a disputed vote never gives the same file's final review
        new("chief2", "韩冰", Roles.ChiefApprover, null),
        new("finance", "冯丽", Roles.Finance, null),
        new("compliance", "何平", Roles.Compliance, null),
        // The rest of the approver groups and a second team's staff, so scope and voting have something to show.
        new("approver2", "钱坤", Roles.Approver, "HZ01"),
        new("approver3", "许诺", Roles.Approver, "HZ01"),
        new("approver.sz1", "黄河", Roles.Approver, "SZ01"),
        new("approver.sz2", "林森", Roles.Approver, "SZ01"),
        new("approver.sz3", "马越", Roles.Approver, "SZ01"),
        new("lead.sh", "杨帆", Roles.TeamLead, "SH01"),
        new("officer.sh", "朱琳", Roles.LoanOfficer, "SH01"),
        new("officer.sz", "高翔", Roles.LoanOfficer, "SZ01"),
    ];

    /// <summary>The demo channel's API key (documented in the README; only its SHA-256 is stored).</summary>
    public const string DemoChannelKey = "demo-wechat-channel-key-2026";

    /// <summary>District → team routing of the demo company.</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoDistricts = new Dictionary<string, string>
    {
        ["上海市浦东新区"] = "SH01", ["上海市徐汇区"] = "SH01",
        ["杭州市西湖区"] = "HZ01", ["杭州市滨江区"] = "HZ01",
        ["深圳市南山区"] = "SZ01", ["深圳市福田区"] = "SZ01",
    };

    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        var changes = 0;
        foreach (var role in Roles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            Check(await roles.CreateAsync(new AppRole(role)));
            changes++;
        }

        var east = await EnsureRegionAsync("EAST", "华东区", "East China", ct);
        var south = await EnsureRegionAsync("SOUTH", "华南区", "South China", ct);
        await EnsureTeamAsync(east, "SH01", "上海一队", "Shanghai Team 1", ApprovalMode.Committee, ct);
        await EnsureTeamAsync(east, "HZ01", "杭州团队", "Hangzhou Team", ApprovalMode.Centralized, ct);
        await EnsureTeamAsync(south, "SZ01", "深圳团队", "Shenzhen Team", ApprovalMode.Centralized, ct);
        changes += await db.SaveChangesAsync(ct);

        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.Id, ct);
        changes += await SeedOriginationAsync(teams, ct);
        foreach (var demo in DemoUsers)
        {
            var user = await users.FindByNameAsync(demo.UserName);
            if (user is not null) continue;
            user = new AppUser
            {
                Id = Guid.CreateVersion7(),
                UserName = demo.UserName,
                DisplayName = demo.DisplayName,
                Email = $"{demo.UserName}@demo.loanoffice.local",
                EmailConfirmed = true,
                TeamId = demo.TeamCode is null ? null : teams[demo.TeamCode],
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, DemoPassword));
            Check(await users.AddToRoleAsync(user, demo.Role));
            if (demo.Role == Roles.Approver && demo.TeamCode is not null)
            {
                db.TeamApprovers.Add(new TeamApprover(teams[demo.TeamCode], user.Id));
                await db.SaveChangesAsync(ct);
            }

            changes++;
        }

        return changes;
    }

    private async Task<int> SeedOriginationAsync(Dictionary<string, Guid> teams, CancellationToken ct)
    {
        if (!await db.Products.AnyAsync(p => p.Code == "CREDIT", ct))
        {
            db.Products.Add(new Origination.ProductRecord
            {
                Id = Guid.CreateVersion7(), Code = "CREDIT", Name = "信用贷", Kind = Domain.Products.ProductKind.Credit,
                MinAmount = 5_000m, MaxAmount = 300_000m, MinMonths = 3, MaxMonths = 36, MinAnnualRate = 0.12m, MaxAnnualRate = 0.15m,
                Methods = ["EqualInstallment", "EqualPrincipal", "InterestOnly"], PenaltyMarkup = 0.5m, GraceDays = 3,
                RequiredDocuments = ["身份证", "收入证明", "上门照片"],
            });
        }

        if (!await db.Products.AnyAsync(p => p.Code == "MORTGAGE", ct))
        {
            db.Products.Add(new Origination.ProductRecord
            {
                Id = Guid.CreateVersion7(), Code = "MORTGAGE", Name = "抵押贷", Kind = Domain.Products.ProductKind.Mortgage,
                MinAmount = 50_000m, MaxAmount = 3_000_000m, MinMonths = 6, MaxMonths = 120, MinAnnualRate = 0.08m, MaxAnnualRate = 0.12m,
                Methods = ["EqualInstallment", "EqualPrincipal", "Bullet"], PenaltyMarkup = 0.5m, GraceDays = 3,
                RequiredDocuments = ["身份证", "房产证", "收入证明"],
            });
        }

        foreach (var (district, team) in DemoDistricts)
        {
            if (!await db.DistrictRoutes.AnyAsync(r => r.District == district, ct))
                db.DistrictRoutes.Add(new Origination.DistrictRoute { District = district, TeamId = teams[team] });
        }

        if (!await db.IntakeChannels.AnyAsync(c => c.Code == "WECHAT", ct))
        {
            db.IntakeChannels.Add(new Origination.IntakeChannel
            {
                Id = Guid.CreateVersion7(), Code = "WECHAT", Name = "微信进件表单",
                KeyHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DemoChannelKey)),
            });
        }

        return await db.SaveChangesAsync(ct);
    }

    private async Task<Region> EnsureRegionAsync(string code, string name, string nameEn, CancellationToken ct)
    {
        var region = await db.Regions.SingleOrDefaultAsync(r => r.Code == code, ct);
        if (region is not null)
        {
            if (region.NameEn is null) region.SetEnglishName(nameEn); // a company seeded before English names existed
            return region;
        }

        region = Region.Create(code, name).Value!;
        region.SetEnglishName(nameEn);
        db.Regions.Add(region);
        return region;
    }

    private async Task EnsureTeamAsync(Region region, string code, string name, string nameEn, ApprovalMode mode, CancellationToken ct)
    {
        if (await db.Teams.SingleOrDefaultAsync(t => t.Code == code, ct) is { } existing)
        {
            if (existing.NameEn is null) existing.SetEnglishName(nameEn);
            return;
        }

        var team = Team.Create(region.Id, code, name, mode, allowSelfAssignment: code != "SH01").Value!;
        team.SetEnglishName(nameEn);
        db.Teams.Add(team);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
