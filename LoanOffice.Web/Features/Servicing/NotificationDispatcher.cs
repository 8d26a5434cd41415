using System.Net.Http.Json;
using LoanOffice.Data.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanOffice.Web.Features.Servicing;

public sealed class SmsOptions
{
    /// <summary>The HTTP gateway: each message is a JSON POST {id, to, text} with an Idempotency-Key header.</summary>
    public string? GatewayUrl { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>After this many failed attempts a message is dead-lettered (visible on the Notifications page).</summary>
    public int MaxAttempts { get; set; } = 6;
    /// <summary>Retry after base × 2^(attempts − 1) seconds.</summary>
    public int BackoffSeconds { get; set; } = 30;
    public int BatchSize { get; set; } = 100;
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>How long a node holds the messages it claimed; a node that dies mid-batch frees them after this.</summary>
    public int LeaseSeconds { get; set; } = 300;
}

public sealed record DispatchResult(int Sent, int Failed, int DeadLettered);

/// <summary>
/// Sends the outbox's pending SMS. A batch is claimed in one short statement (FOR UPDATE SKIP LOCKED, then a lease:
/// the rows' next attempt moved <see cref="SmsOptions.LeaseSeconds"/> ahead), so two nodes never send the same message
/// and no transaction or row lock is held while the gateway is called; each message is then marked on its own. A
/// message is marked sent only after the gateway accepted it, and carries its id as Idempotency-Key so that a gateway
/// seeing a retry after a lost answer (or after a lease ran out) can drop the duplicate. A failure schedules a retry
/// with exponential backoff; after <see cref="SmsOptions.MaxAttempts"/> the message is dead-lettered. When the gateway
/// cannot be reached the batch stops at once and the rest of the claim is released: everything stays queued.
/// </summary>
public sealed class NotificationDispatcher(NpgsqlDataSource dataSource, IHttpClientFactory httpFactory, PersonalDataProtector pii,
    IOptions<SmsOptions> options, ILogger<NotificationDispatcher> log)
{
    public const string HttpClientName = "sms-gateway";

    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.GatewayUrl)) return new DispatchResult(0, 0, 0);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // to a customer (their encrypted mobile) or to a staff member (an officer gone offline: their work phone)
        var due = new List<(Guid Id, string Body, byte[]? Mobile, string? StaffPhone, int Attempts)>();
        await using (var claim = new NpgsqlCommand("""
            WITH claimed AS (
                SELECT n."Id" FROM notifications n
                 WHERE n."Status" = 'Pending' AND n."Channel" = 'Sms' AND n."NextAttemptAt" <= now()
                 ORDER BY n."NextAttemptAt"
                 LIMIT @n
                   FOR UPDATE SKIP LOCKED)
            UPDATE notifications n SET "NextAttemptAt" = now() + make_interval(secs => @lease)
              FROM claimed
             WHERE n."Id" = claimed."Id"
            RETURNING n."Id", n."Body",
                      (SELECT c."MobileCipher" FROM customers c WHERE c."Id" = n."CustomerId"),
                      (SELECT u."PhoneNumber" FROM "AspNetUsers" u WHERE u."Id" = n."UserId" AND n."CustomerId" IS NULL),
                      n."Attempts"
            """, conn))
        {
            claim.Parameters.AddWithValue("n", o.BatchSize);
            claim.Parameters.AddWithValue("lease", (double)o.LeaseSeconds);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                due.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader[2], reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        }

        int sent = 0, failed = 0, dead = 0;
        using var http = httpFactory.CreateClient(HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        for (var i = 0; i < due.Count; i++)
        {
            var message = due[i];
            string? error;
            var unreachable = false;
            var to = message.Mobile is { } cipher ? pii.Decrypt(cipher) : message.StaffPhone;
            if (string.IsNullOrWhiteSpace(to))
            {
                // nobody to send to: dead at once (the Notifications page shows it), the rest of the batch goes on
                await MarkAsync(conn, message.Id, o.MaxAttempts, "No mobile number on record", o, ct);
                dead++;
                continue;
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, o.GatewayUrl)
                {
                    Content = JsonContent.Create(new { id = message.Id, to, text = message.Body }),
                };
                request.Headers.Add("Idempotency-Key", message.Id.ToString());
                if (!string.IsNullOrEmpty(o.ApiKey)) request.Headers.Add("X-Api-Key", o.ApiKey);
                using var response = await http.SendAsync(request, ct);
                error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException ex)
            {
                error = "Gateway unreachable: " + ex.Message;
                unreachable = true;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"Gateway timed out after {o.TimeoutSeconds} s";
                unreachable = true;
            }

            var attempts = message.Attempts + 1;
            if (error is null) sent++;
            else if (attempts >= o.MaxAttempts) dead++;
            else failed++;
            await MarkAsync(conn, message.Id, attempts, error, o, ct);
            if (unreachable)
            {
                var rest = due.Skip(i + 1).Select(m => m.Id).ToArray();
                await ReleaseAsync(conn, rest, ct);
                log.LogWarning("SMS gateway {Url} unreachable ({Error}); {Left} messages stay queued", o.GatewayUrl, error, rest.Length);
                break;
            }
        }

        return new DispatchResult(sent, failed, dead);
    }

    /// <summary>Gives claimed messages back unsent, due at once, no attempt counted.</summary>
    private static async Task ReleaseAsync(NpgsqlConnection conn, Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0) return;
        await using var release = new NpgsqlCommand("""UPDATE notifications SET "NextAttemptAt" = now() WHERE "Id" = ANY(@ids) AND "Status" = 'Pending'""", conn);
        release.Parameters.AddWithValue("ids", ids);
        await release.ExecuteNonQueryAsync(ct);
    }

    private static async Task MarkAsync(NpgsqlConnection conn, Guid id, int attempts, string? error, SmsOptions o, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE notifications SET "Attempts" = @attempts, "LastError" = @error,
                   "Status" = CASE WHEN @error IS NULL THEN 'Sent' WHEN @attempts >= @max THEN 'Dead' ELSE 'Pending' END,
                   "SentAt" = CASE WHEN @error IS NULL THEN now() END,
                   "NextAttemptAt" = CASE WHEN @error IS NULL THEN "NextAttemptAt" ELSE now() + make_interval(secs => @backoff) END
             WHERE "Id" = @id
            """, conn);
        update.Parameters.AddWithValue("attempts", attempts);
        update.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        update.Parameters.AddWithValue("max", o.MaxAttempts);
        update.Parameters.AddWithValue("backoff", (double)o.BackoffSeconds * Math.Pow(2, attempts - 1));
        update.Parameters.AddWithValue("id", id);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Puts a dead-lettered message back in the queue (from the Notifications page).</summary>
    public async Task<bool> RequeueAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE notifications SET "Status" = 'Pending', "Attempts" = 0, "NextAttemptAt" = now(), "LastError" = NULL
             WHERE "Id" = @id AND "Status" = 'Dead'
            """, conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
