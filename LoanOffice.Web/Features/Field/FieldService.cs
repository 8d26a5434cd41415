using System.Security.Cryptography;
using LoanOffice.Data;
using LoanOffice.Data.Field;
using LoanOffice.Data.Identity;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Web.Features.Field;

/// <summary>The field-work settings (appsettings "Field").</summary>
public sealed class FieldOptions
{
    /// <summary>A point whose accuracy is worse than this many metres is refused.</summary>
    public double WorstAccuracyMetres { get; set; } = 500;

    /// <summary>A visit is verified when the track or the photo was this close to the customer…</summary>
    public double VisitRadiusMetres { get; set; } = 200;

    /// <summary>…within this many minutes of the visit's time.</summary>
    public int VisitWindowMinutes { get; set; } = 15;

    /// <summary>Tracks are kept this many years (whole months); older partitions are dropped by <c>./loanoffice field-retention</c> and the nightly job.</summary>
    public int RetentionYears { get; set; } = 3;

    public VisitPolicy VisitPolicy => new(VisitRadiusMetres, VisitWindowMinutes);
}

/// <param name="UserName">The officer's user name.</param>
/// <param name="Password">The officer's password.</param>
/// <param name="Code">The authenticator code, when the account has a second factor.</param>
/// <param name="DeviceName">What the officer calls the phone ("华为 Mate 60").</param>
public sealed record DeviceRegistration(string? UserName, string? Password, string? Code, string? DeviceName);

/// <summary>A registered device: its id and key (Base64, shown once: the app signs every request with it).</summary>
public sealed record DeviceRegistered(Guid DeviceId, string Key, string Officer);

/// <summary>签到 / 签退: the device's time and where the officer is.</summary>
public sealed record WorkdayMark(DateTimeOffset At, double Latitude, double Longitude, double Accuracy);

/// <summary>A working day as the app sees it.</summary>
public sealed record WorkdayState(Guid SessionId, DateTimeOffset SignedInAt, DateTimeOffset? SignedOutAt);

/// <summary>One point of a batch (see <see cref="PingInput"/>); source Gps, Wifi or Cell.</summary>
public sealed record PingPoint(long Sequence, DateTimeOffset At, double Latitude, double Longitude, double Accuracy, double? Speed, string? Source, bool Mock);

/// <param name="Officer">Optional: the user name the app believes it posts for (refused when it is not the device's officer).</param>
/// <param name="Points">Up to 1,000 points.</param>
public sealed record PingBatch(string? Officer, IReadOnlyList<PingPoint>? Points);

/// <summary>A refused point: its place in the batch, its sequence number and why.</summary>
public sealed record PingRefused(int Index, long Sequence, string Field, string Code, string Message);

/// <summary>What became of a batch: points kept, points already received (ignored), points refused.</summary>
public sealed record PingOutcome(int Accepted, int Duplicates, IReadOnlyList<PingRefused> Refused);

/// <summary>The app is alive: whether location is on, the battery (%) and the network, apart from the points.</summary>
public sealed record FieldHeartbeat(bool GpsEnabled, int? Battery, string? Network);

/// <summary>The device a signed request came from, and its officer.</summary>
public sealed record FieldDeviceCaller(Guid DeviceId, Guid UserId, string UserName);

/// <summary>
/// The officers' app (DOMAIN.md, "Field work"): devices registered with the officer's credentials, requests signed
/// with the device's key (<see cref="RequestSigning"/>), the working day, pings in batches and heartbeats. Positions
/// are recorded only between sign-in and sign-out.
/// </summary>
public sealed class FieldService(IDbContextFactory<LoanOfficeDbContext> dbFactory, NpgsqlDataSource dataSource, UserManager<AppUser> users,
    PersonalDataProtector protector, IOptions<FieldOptions> options, FieldPositions positions, TimeProvider clock)
{
    /// <summary>Registers a phone for an officer who gives the right user name, password (and second factor).</summary>
    public async Task<Result<DeviceRegistered>> RegisterAsync(DeviceRegistration request, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.DeviceName) || request.DeviceName.Trim().Length > 100)
            return Error.Of(ErrorCodes.FieldDeviceNameRequired).At("deviceName");
        var user = string.IsNullOrWhiteSpace(request.UserName) ? null : await users.FindByNameAsync(request.UserName.Trim());
        // an unknown name costs a password check too, so the answer's time tells nothing
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash, request.Password ?? "");
            return Error.Of(ErrorCodes.FieldSignInFailed);
        }

        if (await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            if (!await users.IsLockedOutAsync(user)) await users.AccessFailedAsync(user);
            return Error.Of(ErrorCodes.FieldSignInFailed);
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            if (string.IsNullOrWhiteSpace(request.Code)) return Error.Of(ErrorCodes.FieldSecondFactorRequired).At("code");
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, request.Code.Trim()))
            {
                await users.AccessFailedAsync(user);
                return Error.Of(ErrorCodes.FieldSignInFailed);
            }
        }

        if (!await users.IsInRoleAsync(user, Domain.Organisation.Roles.LoanOfficer)) return Error.Of(ErrorCodes.FieldNotAnOfficer);
        await users.ResetAccessFailedCountAsync(user);

        var key = RandomNumberGenerator.GetBytes(32);
        var device = new FieldDevice
        {
            Id = Guid.CreateVersion7(), UserId = user.Id, Name = request.DeviceName.Trim(), KeyCipher = protector.Encrypt(Convert.ToBase64String(key)),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.FieldDevices.Add(device);
        await db.SaveChangesAsync(ct);
        return new DeviceRegistered(device.Id, Convert.ToBase64String(key), user.UserName!);
    }

    private static readonly string DummyHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), "not-a-password");

    /// <summary>
    /// Checks a request's signature: the device (registered, not revoked, its officer active), the time (five minutes
    /// either side), the HMAC over method, path, time and body, and that the same request was not seen before.
    /// </summary>
    public async Task<Result<FieldDeviceCaller>> AuthenticateAsync(string? deviceId, string? timestamp, string? signature, string method, string pathAndQuery,
        byte[] body, CancellationToken ct = default)
    {
        if (!Guid.TryParse(deviceId, out var id) || !long.TryParse(timestamp, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || string.IsNullOrWhiteSpace(signature) || signature.Length > 64)
            return Error.Of(ErrorCodes.FieldSignatureMissing);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.FieldDevices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return Error.Of(ErrorCodes.FieldDeviceUnknown);
        if (device.RevokedAt is not null) return Error.Of(ErrorCodes.FieldDeviceRevoked);
        if (!RequestSigning.InWindow(seconds, now)) return Error.Of(ErrorCodes.FieldRequestExpired, (int)RequestSigning.Window.TotalMinutes);
        var key = Convert.FromBase64String(protector.Decrypt(device.KeyCipher));
        if (!RequestSigning.Verify(key, RequestSigning.Canonical(method, pathAndQuery, seconds, body), signature)) return Error.Of(ErrorCodes.FieldSignatureInvalid);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == device.UserId).Select(u => new { u.UserName, u.LockoutEnd }).SingleAsync(ct);
        if (user.LockoutEnd > now) return Error.Of(ErrorCodes.FieldDeviceRevoked); // a locked account's devices answer nothing

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var seen = new NpgsqlCommand("""
            DELETE FROM field_request_nonces WHERE device_id = @d AND seen_at < @old;
            INSERT INTO field_request_nonces (device_id, signature, seen_at) VALUES (@d, @s, @now) ON CONFLICT DO NOTHING;
            """, conn);
        seen.Parameters.AddWithValue("d", id);
        seen.Parameters.AddWithValue("s", signature);
        seen.Parameters.AddWithValue("now", now);
        seen.Parameters.AddWithValue("old", now - 2 * RequestSigning.Window);
        await using (var reader = await seen.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            if (reader.RecordsAffected == 0) return Error.Of(ErrorCodes.FieldRequestReplayed);
        }

        await using var used = new NpgsqlCommand("""UPDATE field_devices SET "LastUsedAt" = @now WHERE "Id" = @d""", conn);
        used.Parameters.AddWithValue("d", id);
        used.Parameters.AddWithValue("now", now);
        await used.ExecuteNonQueryAsync(ct);
        return new FieldDeviceCaller(id, device.UserId, user.UserName!);
    }

    /// <summary>签到: opens the officer's working day at a position (one open day at a time).</summary>
    public async Task<Result<WorkdayState>> SignInAsync(FieldDeviceCaller caller, WorkdayMark mark, CancellationToken ct = default)
    {
        mark = mark with { At = mark.At.ToUniversalTime() }; // a phone may send its local offset; instants are stored in UTC
        if (CheckMark(mark) is { } bad) return bad;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.FieldSessions.AnyAsync(s => s.UserId == caller.UserId && s.SignedOutAt == null, ct)) return Error.Of(ErrorCodes.FieldAlreadySignedIn);
        var session = new FieldSession
        {
            Id = Guid.CreateVersion7(), UserId = caller.UserId, DeviceId = caller.DeviceId, SignedInAt = mark.At,
            SignInLatitude = mark.Latitude, SignInLongitude = mark.Longitude,
        };
        db.FieldSessions.Add(session);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: "23505" })
        {
            return Error.Of(ErrorCodes.FieldAlreadySignedIn);
        }

        await PositionAsync(caller, new PingInput(-1, mark.At, mark.Latitude, mark.Longitude, mark.Accuracy, null, PingSource.Gps, false), ct);
        return new WorkdayState(session.Id, session.SignedInAt, null);
    }

    /// <summary>签退: closes the open working day at a position; no position is recorded after it.</summary>
    public async Task<Result<WorkdayState>> SignOutAsync(FieldDeviceCaller caller, WorkdayMark mark, CancellationToken ct = default)
    {
        mark = mark with { At = mark.At.ToUniversalTime() };
        if (CheckMark(mark) is { } bad) return bad;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.FieldSessions.SingleOrDefaultAsync(s => s.UserId == caller.UserId && s.SignedOutAt == null, ct);
        if (session is null) return Error.Of(ErrorCodes.FieldNotSignedIn);
        session.SignedOutAt = mark.At < session.SignedInAt ? session.SignedInAt : mark.At;
        session.SignOutLatitude = mark.Latitude;
        session.SignOutLongitude = mark.Longitude;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.Conflict);
        }

        return new WorkdayState(session.Id, session.SignedInAt, session.SignedOutAt);
    }

    /// <summary>
    /// A batch of points: each bad point refused with its reason, the good ones kept (a point already received is
    /// ignored), and the officer's last position moved on — only while the officer is signed in.
    /// </summary>
    public async Task<Result<PingOutcome>> PingsAsync(FieldDeviceCaller caller, PingBatch batch, CancellationToken ct = default)
    {
        if (batch.Officer is { Length: > 0 } claimed && !string.Equals(claimed.Trim(), caller.UserName, StringComparison.OrdinalIgnoreCase))
            return Error.Of(ErrorCodes.FieldNotYourDevice, caller.UserName);
        var points = batch.Points ?? [];
        if (points.Count == 0) return Error.Of(ErrorCodes.FieldBatchEmpty).At("points");
        var limits = new PingLimits(options.Value.WorstAccuracyMetres);
        if (points.Count > limits.MaxBatch) return Error.Of(ErrorCodes.FieldBatchTooLarge, limits.MaxBatch).At("points");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.FieldSessions.AsNoTracking().Where(s => s.UserId == caller.UserId && s.SignedOutAt == null).SingleOrDefaultAsync(ct);
        if (session is null) return Error.Of(ErrorCodes.FieldNotSignedIn);

        var now = clock.GetUtcNow();
        var good = new List<PingInput>();
        var refused = new List<PingRefused>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            Error? error = Enum.TryParse<PingSource>(p.Source, true, out var source) && Enum.IsDefined(source) ? null : Error.Of(ErrorCodes.Validation).At("source");
            var input = new PingInput(p.Sequence, p.At.ToUniversalTime(), p.Latitude, p.Longitude, p.Accuracy, p.Speed, source, p.Mock);
            error ??= PingRules.Check(input, now, limits);
            // before the day's sign-in nothing is recorded (PIPL: positions only while at work)
            if (error is null && input.At < session.SignedInAt) error = Error.Of(ErrorCodes.FieldNotSignedIn).At("at");
            if (error is not null) refused.Add(new PingRefused(i, p.Sequence, error.Field ?? "", error.Code, Hosting.ErrorText.Render(error)));
            else good.Add(input);
        }

        var accepted = good.Count == 0 ? 0 : await WriteAsync(caller, good, now, ct);
        return new PingOutcome(accepted, good.Count - accepted, refused);
    }

    /// <summary>The app's heartbeat: kept on the officer's last-position row (apart from points, so "GPS off" and "app stopped" differ).</summary>
    public async Task<Result> HeartbeatAsync(FieldDeviceCaller caller, FieldHeartbeat beat, CancellationToken ct = default)
    {
        if (beat.Battery is < 0 or > 100) return Error.Of(ErrorCodes.Validation).At("battery");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO field_last_positions (officer_id, device_id, heartbeat_at, gps_enabled, battery, network)
            VALUES (@o, @d, @at, @gps, @battery, @network)
            ON CONFLICT (officer_id) DO UPDATE SET device_id = EXCLUDED.device_id, heartbeat_at = EXCLUDED.heartbeat_at,
                gps_enabled = EXCLUDED.gps_enabled, battery = EXCLUDED.battery, network = EXCLUDED.network
            """, conn);
        cmd.Parameters.AddWithValue("o", caller.UserId);
        cmd.Parameters.AddWithValue("d", caller.DeviceId);
        cmd.Parameters.AddWithValue("at", clock.GetUtcNow());
        cmd.Parameters.AddWithValue("gps", beat.GpsEnabled);
        cmd.Parameters.Add(new NpgsqlParameter("battery", NpgsqlDbType.Smallint) { Value = beat.Battery is { } b ? (short)b : DBNull.Value });
        var network = beat.Network?.Trim();
        cmd.Parameters.Add(new NpgsqlParameter("network", NpgsqlDbType.Varchar) { Value = string.IsNullOrEmpty(network) ? DBNull.Value : network[..Math.Min(20, network.Length)] });
        await cmd.ExecuteNonQueryAsync(ct);
        return Result.Success();
    }

    /// <summary>A sign-in or sign-out position: the points' rules, any accuracy (the day opens wherever the officer is).</summary>
    private Error? CheckMark(WorkdayMark mark) =>
        PingRules.Check(new PingInput(0, mark.At, mark.Latitude, mark.Longitude, mark.Accuracy, null, PingSource.Gps, false), clock.GetUtcNow(), new PingLimits(double.MaxValue));

    private Task<int> PositionAsync(FieldDeviceCaller caller, PingInput point, CancellationToken ct) => WriteAsync(caller, [point], clock.GetUtcNow(), ct, pingRow: false);

    private async Task<int> WriteAsync(FieldDeviceCaller caller, IReadOnlyList<PingInput> points, DateTimeOffset now, CancellationToken ct, bool pingRow = true)
    {
        var inserted = await WritePointsAsync(caller.UserId, caller.DeviceId, points, now, pingRow, ct);
        positions.Notify(caller.UserId);
        return inserted;
    }

    /// <summary>
    /// The points through COPY into a staging table, then into their month's partitions (a resent point — same device,
    /// sequence and time — ignored) and the officer's last position when they are newer. Returns the points inserted.
    /// </summary>
    /// <param name="skipKnownSeconds">For an imported track: a point in a second the officer already has a point in is the same point (the export keeps whole seconds).</param>
    internal async Task<int> WritePointsAsync(Guid officerId, Guid deviceId, IReadOnlyList<PingInput> points, DateTimeOffset now, bool pingRow, CancellationToken ct,
        bool skipKnownSeconds = false)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var stage = new NpgsqlCommand("""
            CREATE TEMP TABLE IF NOT EXISTS field_ping_stage (sequence bigint, recorded_at timestamptz, lat double precision, lon double precision,
                accuracy real, speed real, source varchar(10), mock boolean) ON COMMIT DELETE ROWS
            """, conn, tx))
            await stage.ExecuteNonQueryAsync(ct);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY field_ping_stage FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var p in points)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Sequence, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(p.At, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(p.Latitude, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(p.Longitude, NpgsqlDbType.Double, ct);
                await copy.WriteAsync((float)p.Accuracy, NpgsqlDbType.Real, ct);
                if (p.Speed is { } s) await copy.WriteAsync((float)s, NpgsqlDbType.Real, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(p.Source.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Mock, NpgsqlDbType.Boolean, ct);
            }

            await copy.CompleteAsync(ct);
        }

        var inserted = 0;
        await using (var cmd = new NpgsqlCommand("""
            SELECT lo_field_ping_partition(m) FROM (SELECT DISTINCT date_trunc('month', recorded_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m FROM field_ping_stage) x;
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        if (pingRow)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO field_pings (officer_id, device_id, sequence, recorded_at, received_at, position, accuracy, speed, source, mock)
                SELECT @o, @d, s.sequence, s.recorded_at, @now, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)::geography, s.accuracy, s.speed, s.source, s.mock
                  FROM field_ping_stage s
                 WHERE NOT @skip OR NOT EXISTS (SELECT 1 FROM field_pings f WHERE f.officer_id = @o
                           AND f.recorded_at >= date_trunc('second', s.recorded_at) AND f.recorded_at < date_trunc('second', s.recorded_at) + interval '1 second')
                ON CONFLICT DO NOTHING
                """, conn, tx);
            insert.Parameters.AddWithValue("skip", skipKnownSeconds);
            insert.Parameters.AddWithValue("o", officerId);
            insert.Parameters.AddWithValue("d", deviceId);
            insert.Parameters.AddWithValue("now", now);
            inserted = await insert.ExecuteNonQueryAsync(ct);
        }

        await using (var last = new NpgsqlCommand("""
            INSERT INTO field_last_positions AS f (officer_id, device_id, recorded_at, position, accuracy, speed, source, mock)
            SELECT @o, @d, s.recorded_at, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)::geography, s.accuracy, s.speed, s.source, s.mock
              FROM field_ping_stage s ORDER BY s.recorded_at DESC LIMIT 1
            ON CONFLICT (officer_id) DO UPDATE SET device_id = EXCLUDED.device_id, recorded_at = EXCLUDED.recorded_at, position = EXCLUDED.position,
                accuracy = EXCLUDED.accuracy, speed = EXCLUDED.speed, source = EXCLUDED.source, mock = EXCLUDED.mock
             WHERE f.recorded_at IS NULL OR f.recorded_at <= EXCLUDED.recorded_at
            """, conn, tx))
        {
            last.Parameters.AddWithValue("o", officerId);
            last.Parameters.AddWithValue("d", deviceId);
            await last.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return inserted;
    }
}
