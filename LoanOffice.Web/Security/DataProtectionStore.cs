using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using LoanOffice.Data.Security;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace LoanOffice.Web.Security;

/// <summary>
/// The data-protection key ring (it protects the sign-in cookie, antiforgery tokens and sign-in tickets) kept in
/// PostgreSQL, table <c>data_protection_keys</c>, so every app node reads and writes the same ring and a restart or a
/// second node keeps everyone signed in.
/// </summary>
public sealed class DatabaseXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = dataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("""SELECT "Xml" FROM data_protection_keys ORDER BY "Id" """, conn);
        using var reader = cmd.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = dataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("""INSERT INTO data_protection_keys ("FriendlyName", "Xml") VALUES (@name, @xml)""", conn);
        cmd.Parameters.AddWithValue("name", friendlyName);
        cmd.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}

/// <summary>
/// Encrypts each key of the ring at rest with AES-256-GCM under <c>Security:DataProtectionKey</c> (a configured key or
/// key file): a copy of the table (a backup, a replica) without that key reveals no session key.
/// </summary>
public sealed class AesGcmXmlEncryptor(byte[] key) : IXmlEncryptor
{
    public const string ElementName = "aesGcmEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var output = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length, 16));
        return new EncryptedXmlInfo(new XElement(ElementName, new XAttribute("alg", "AES-256-GCM"), Convert.ToBase64String(output)), typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote (created by data protection with the app's services).</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = Secrets.Key(services.GetRequiredService<IConfiguration>(), Secrets.DataProtectionKey);
        var data = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[data.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plain.Length), data.AsSpan(12 + plain.Length, 16), plain);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Refuses to start outside Development with a demo key (a real deployment must bring its own).</summary>
public static class StartupSecrets
{
    public static void Verify(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() || configuration.GetValue("Security:AllowDemoKeys", false)) return;
        var demo = Secrets.DemoKeysInUse(configuration);
        if (demo.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName} with the demo keys of {string.Join(", ", demo)}: configure each (base64 of 32 bytes, "
                + "or a file named by …File, e.g. Security__PersonalDataKeyFile=/run/secrets/personal-data.key); see README, Security.");
    }
}
