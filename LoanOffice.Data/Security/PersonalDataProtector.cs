using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LoanOffice.Data.Security;

/// <summary>
/// Personal financial information (JR/T 0171 C2: resident ID, mobile, bank account): encrypted with AES-256-GCM
/// (random 12-byte nonce | ciphertext | 16-byte tag) and found through HMAC-SHA256 with a separate key.
/// Keys come from configuration (Security:PersonalDataKey, Security:LookupKey, base64 of 32 bytes); development
/// has fixed demo keys, which production must replace.
/// </summary>
public sealed class PersonalDataProtector
{
    private const string DemoEncryptionKey = "bG9hbm9mZmljZS1kZW1vLWVuY3J5cHRpb24ta2V5ISE="; // 32 bytes, demo only
    private const string DemoLookupKey = "bG9hbm9mZmljZS1kZW1vLWxvb2t1cC1rZXktMDAwMDA="; // 32 bytes, demo only
    private readonly byte[] _key;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(IConfiguration configuration)
    {
        _key = Convert.FromBase64String(configuration["Security:PersonalDataKey"] ?? DemoEncryptionKey);
        _lookupKey = Convert.FromBase64String(configuration["Security:LookupKey"] ?? DemoLookupKey);
        if (_key.Length != 32 || _lookupKey.Length != 32)
            throw new InvalidOperationException("Security:PersonalDataKey and Security:LookupKey must be base64 of 32 bytes.");
    }

    public byte[] Encrypt(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var output = new byte[12 + data.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, output.AsSpan(12, data.Length), output.AsSpan(12 + data.Length, 16));
        return output;
    }

    public string Decrypt(byte[] cipher)
    {
        var data = new byte[cipher.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(cipher.AsSpan(0, 12), cipher.AsSpan(12, data.Length), cipher.AsSpan(12 + data.Length, 16), data);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>The keyed hash used to find a record by its (normalized) value without decrypting anything.</summary>
    public byte[] LookupHash(string normalized) => HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(normalized));
}
