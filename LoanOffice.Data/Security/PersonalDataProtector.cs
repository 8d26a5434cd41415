using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LoanOffice.Data.Security;

/// <summary>
/// Personal financial information (JR/T 0171 C2: resident ID, mobile, bank account): encrypted with AES-256-GCM
/// (random 12-byte nonce | ciphertext | 16-byte tag) and found through HMAC-SHA256 with a separate key.
/// Keys come from configuration or key files (<see cref="Secrets"/>); development has fixed demo keys, which
/// production must replace (the app refuses to start with them).
/// </summary>
public sealed class PersonalDataProtector
{
    private readonly byte[] _key;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(IConfiguration configuration)
    {
        _key = Secrets.Key(configuration, Secrets.PersonalDataKey);
        _lookupKey = Secrets.Key(configuration, Secrets.LookupKey);
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
