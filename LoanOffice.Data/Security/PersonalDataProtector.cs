using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LoanOffice.Data.Security;

/// <summary>
/// Personal financial information (JR/T 0171 C2: resident ID, mobile, bank account; the field devices' keys):
/// encrypted with AES-256-GCM and found through HMAC-SHA256 with a separate key. A ciphertext names its key:
/// <c>"LK" | id length | id | 12-byte nonce | ciphertext | 16-byte tag</c> (the oldest ones, written before keys had
/// ids, are nonce | ciphertext | tag and are tried with every known key). Keys come from configuration or key files
/// (<see cref="Secrets"/>): <c>Security:PersonalDataKey</c> with <c>Security:PersonalDataKeyId</c> (default "1")
/// encrypts; <c>Security:PreviousPersonalDataKeys</c> ("id:base64" each) still decrypt, until <c>./loanoffice rekey</c>
/// has re-encrypted every value under the current key (README, Security: key rotation).
/// </summary>
public sealed class PersonalDataProtector
{
    private static readonly byte[] Magic = "LK"u8.ToArray();
    private readonly byte[] _key;
    private readonly byte[] _lookupKey;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public PersonalDataProtector(IConfiguration configuration)
    {
        _key = Secrets.Key(configuration, Secrets.PersonalDataKey);
        _lookupKey = Secrets.Key(configuration, Secrets.LookupKey);
        KeyId = configuration["Security:PersonalDataKeyId"] is { Length: > 0 } id ? id : "1";
        if (KeyId.Length > 32 || !KeyId.All(char.IsAsciiLetterOrDigit)) throw new InvalidOperationException("Security:PersonalDataKeyId must be 1–32 letters or digits.");
        _keys[KeyId] = _key;
        foreach (var previous in configuration.GetSection("Security:PreviousPersonalDataKeys").Get<string[]>() ?? [])
        {
            var parts = previous.Split(':', 2);
            if (parts.Length != 2) throw new InvalidOperationException("Security:PreviousPersonalDataKeys: each entry is id:base64.");
            _keys[parts[0]] = Convert.FromBase64String(parts[1]) is { Length: 32 } k ? k : throw new InvalidOperationException("a previous personal-data key must be base64 of 32 bytes.");
        }

        CurrentPrefix = [.. Magic, (byte)KeyId.Length, .. Encoding.ASCII.GetBytes(KeyId)];
    }

    /// <summary>The id of the key new values are encrypted with.</summary>
    public string KeyId { get; }

    /// <summary>What every value encrypted under the current key starts with (the re-encryption job looks for the others).</summary>
    public byte[] CurrentPrefix { get; }

    public bool IsCurrent(byte[] cipher) => cipher.AsSpan().StartsWith(CurrentPrefix);

    public byte[] Encrypt(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var p = CurrentPrefix.Length;
        var output = new byte[p + 12 + data.Length + 16];
        CurrentPrefix.CopyTo(output, 0);
        var nonce = output.AsSpan(p, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, output.AsSpan(p + 12, data.Length), output.AsSpan(p + 12 + data.Length, 16));
        return output;
    }

    public string Decrypt(byte[] cipher)
    {
        if (cipher.Length > 3 && cipher.AsSpan().StartsWith(Magic))
        {
            var idLength = cipher[2];
            if (cipher.Length >= 3 + idLength + 28 && _keys.TryGetValue(Encoding.ASCII.GetString(cipher, 3, idLength), out var key)
                && TryDecrypt(key, cipher.AsSpan(3 + idLength), out var text))
                return text;
        }

        // written before keys had ids: whichever known key opens it
        foreach (var key in _keys.Values)
            if (TryDecrypt(key, cipher, out var text)) return text;
        throw new CryptographicException("no configured personal-data key opens this value (a previous key missing from Security:PreviousPersonalDataKeys?)");
    }

    private static bool TryDecrypt(byte[] key, ReadOnlySpan<byte> body, out string text)
    {
        text = string.Empty;
        if (body.Length < 28) return false;
        var data = new byte[body.Length - 28];
        using var aes = new AesGcm(key, 16);
        try
        {
            aes.Decrypt(body[..12], body.Slice(12, data.Length), body.Slice(12 + data.Length, 16), data);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        text = Encoding.UTF8.GetString(data);
        return true;
    }

    /// <summary>The keyed hash used to find a record by its (normalized) value without decrypting anything.</summary>
    public byte[] LookupHash(string normalized) => HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(normalized));
}
