using System.Security.Cryptography;
using LoanOffice.Data.Security;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Rotating the personal-data key: old values still read, ./loanoffice rekey re-encrypts them in resumable batches.</summary>
public class KeyRotationTests
{
    private static readonly string DemoKey = Secrets.Read(new ConfigurationBuilder().Build(), Secrets.PersonalDataKey);

    private static PersonalDataProtector Protector(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void AValueNamesItsKey_OldOnesStillRead_AfterTheRotation()
    {
        var before = Protector();
        var cipher = before.Encrypt("330106198501010011");
        before.IsCurrent(cipher).ShouldBeTrue();
        cipher[..3].ShouldBe([(byte)'L', (byte)'K', 1]);

        // a value written before keys had ids: nonce | ciphertext | tag under the demo key
        var legacy = new byte[12 + 5 + 16];
        RandomNumberGenerator.Fill(legacy.AsSpan(0, 12));
        using (var aes = new AesGcm(Convert.FromBase64String(DemoKey), 16))
            aes.Encrypt(legacy.AsSpan(0, 12), "13800"u8, legacy.AsSpan(12, 5), legacy.AsSpan(17, 16));

        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var after = Protector(("Security:PersonalDataKey", newKey), ("Security:PersonalDataKeyId", "2"), ("Security:PreviousPersonalDataKeys:0", "1:" + DemoKey));
        after.Decrypt(cipher).ShouldBe("330106198501010011");
        after.Decrypt(legacy).ShouldBe("13800");
        after.IsCurrent(cipher).ShouldBeFalse();
        after.IsCurrent(after.Encrypt("x")).ShouldBeTrue();
        Should.Throw<CryptographicException>(() => Protector(("Security:PersonalDataKey", newKey), ("Security:PersonalDataKeyId", "2")).Decrypt(cipher))
            .Message.ShouldContain("PreviousPersonalDataKeys");
    }

    [Fact]
    public async Task Rekey_ReEncryptsEveryValue_InterruptedAndResumed_AndIsAudited()
    {
        await TestDatabase.EnsureReadyAsync();
        var connection = await TestDatabase.CreateIsolatedAsync("rekey");
        try
        {
            var ids = new List<string>();
            await using (var app = new AppFactory { Connection = connection })
                for (var i = 0; i < 3; i++)
                {
                    var residentId = OriginationTests.NewResidentId();
                    ids.Add(residentId);
                    await using var scope = app.Services.CreateAsyncScope();
                    var receipt = await scope.ServiceProvider.GetRequiredService<IntakeService>().SubmitAsync(OriginationTests.Request(residentId: residentId), "WEB", null);
                    receipt.IsSuccess.ShouldBeTrue(receipt.Error?.Message);
                }

            var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var rotated = new Dictionary<string, string>
            {
                ["ConnectionStrings__Default"] = connection, ["Security__PersonalDataKey"] = newKey, ["Security__PersonalDataKeyId"] = "2",
                ["Security__PreviousPersonalDataKeys__0"] = "1:" + DemoKey,
            };
            // interrupted after one batch of one row: some values are still under key 1
            var first = await TestCli.RunAsync("rekey", ["--batch", "1", "--max-batches", "1"], environment: rotated);
            first.Exit.ShouldBe(0, first.Stderr);
            first.Stdout.ShouldContain("run rekey again");
            var resumed = await TestCli.RunAsync("rekey", [], environment: rotated);
            resumed.Exit.ShouldBe(0, resumed.Stderr);
            resumed.Stdout.ShouldContain("every value is under key 2");
            (await TestCli.RunAsync("rekey", [], environment: rotated)).Stdout.ShouldContain("rekey: 0 rows re-encrypted; every value is under key 2");

            // every resident ID reads back under the new key alone
            var now = Protector(("Security:PersonalDataKey", newKey), ("Security:PersonalDataKeyId", "2"));
            var read = new List<string>();
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            await using (var cmd = new NpgsqlCommand("""SELECT "ResidentIdCipher", "MobileCipher" FROM customers""", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                {
                    read.Add(now.Decrypt((byte[])reader[0]));
                    now.Decrypt((byte[])reader[1]).ShouldBe("13800138000");
                }

            ids.ShouldAllBe(id => read.Contains(id));
            var audited = (long)(await new NpgsqlCommand("""SELECT count(*) FROM audit_log WHERE entity_type = 'PersonalDataKey' AND action = 'Rekeyed'""", conn).ExecuteScalarAsync())!;
            audited.ShouldBeGreaterThanOrEqualTo(2);
        }
        finally
        {
            await TestDatabase.DropAsync(connection);
        }
    }
}
