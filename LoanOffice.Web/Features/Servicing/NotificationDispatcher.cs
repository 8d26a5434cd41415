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
}

public sealed record DispatchResult(int Sent, int Failed, int DeadLettered);

/// <summary>
/// Sends the outbox's pending SMS. Rows are locked while they are sent (FOR UPDATE SKIP LOCKED), so two nodes never
/// send the same message; a message is marked sent only after the gateway accepted it, and carries its id as
/// Idempotency-Key so that a gateway seeing a retry after a lost answer can drop the duplicate. A failure schedules
/// a retry with exponential backoff; after <see cref="SmsOptions.MaxAttempts"/> the message is dead-lettered. When
/// the gateway cannot be reached the batch stops at once and everything stays queued.
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
        await using var tx = await conn.BeginTransactionAsync(ct);
        var due = new List<(Guid Id, string Body, byte[] Mobile, int Attempts)>();
        await using (var pick = new NpgsqlCommand("""
            SELECT n."Id", n."Body", c."MobileCipher", n."Attempts"
              FROM notifications n JOIN customers c ON c."Id" = n."CustomerId"
             WHERE n."Status" = 'Pending' AND n."Channel" = 'Sms' AND n."NextAttemptAt" <= now()
             ORDER BY n."NextAttemptAt"
             LIMIT @n
               FOR UPDATE OF n SKIP LOCKED
            """, conn, tx))
        {
            pick.Parameters.AddWithValue("n", o.BatchSize);
            await using var reader = await pick.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) due.Add((reader.GetGuid(0), reader.GetString(1), (byte[])reader[2], reader.GetInt32(3)));
        }

        int sent = 0, failed = 0, dead = 0;
        using var http = httpFactory.CreateClient(HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        foreach (var message in due)
        {
            string? error;
            var unreachable = false;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, o.GatewayUrl)
                {
                    Content = JsonContent.Create(new { id = message.Id, to = pii.Decrypt(message.Mobile), text = message.Body }),
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
            await using var update = new NpgsqlCommand("""
                UPDATE notifications SET "Attempts" = @attempts, "LastError" = @error,
                       "Status" = CASE WHEN @error IS NULL THEN 'Sent' WHEN @attempts >= @max THEN 'Dead' ELSE 'Pending' END,
                       "SentAt" = CASE WHEN @error IS NULL THEN now() END,
                       "NextAttemptAt" = CASE WHEN @error IS NULL THEN "NextAttemptAt" ELSE now() + make_interval(secs => @backoff) END
                 WHERE "Id" = @id
                """, conn, tx);
            update.Parameters.AddWithValue("attempts", attempts);
            update.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            update.Parameters.AddWithValue("max", o.MaxAttempts);
            update.Parameters.AddWithValue("backoff", (double)o.BackoffSeconds * Math.Pow(2, attempts - 1));
            update.Parameters.AddWithValue("id", message.Id);
            await update.ExecuteNonQueryAsync(ct);
            if (unreachable)
            {
                log.LogWarning("SMS gateway {Url} unreachable ({Error}); {Left} messages stay queued", o.GatewayUrl, error, due.Count - sent - failed - dead);
                break;
            }
        }

        await tx.CommitAsync(ct);
        return new DispatchResult(sent, failed, dead);
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
