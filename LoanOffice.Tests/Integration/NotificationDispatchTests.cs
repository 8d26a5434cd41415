using LoanOffice.Data.Security;
using LoanOffice.Data.Servicing;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The SMS outbox through the dispatcher to the fake gateway: delivered once, nothing lost while it is down.</summary>
public class NotificationDispatchTests(IsolatedApp app) : ServicingTestBase(app)
{
    private static readonly DateOnly Disbursed = new(2025, 3, 8);
    private static readonly DateOnly ThreeDaysBeforeFirstDue = new(2025, 4, 5);
    private NotificationDispatcher Dispatcher(string gatewayUrl, int maxAttempts = 6) => new(
        App.Services.GetRequiredService<NpgsqlDataSource>(),
        App.Services.GetRequiredService<IHttpClientFactory>(),
        App.Services.GetRequiredService<PersonalDataProtector>(),
        Options.Create(new SmsOptions { GatewayUrl = gatewayUrl, MaxAttempts = maxAttempts, BackoffSeconds = 30, BatchSize = 1000, TimeoutSeconds = 5 }),
        NullLogger<NotificationDispatcher>.Instance);

    /// <summary>A loan with a reminder SMS queued for installment 1; other loans' queued SMS are parked for the test.</summary>
    private async Task<(Guid Loan, Notification Sms)> LoanWithQueuedReminderAsync()
    {
        var loan = await TestLoans.CreateAsync(App.Services, Disbursed, new TestLoans.Terms(ReminderLeadDays: 3));
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(ThreeDaysBeforeFirstDue, "test")).IsSuccess.ShouldBeTrue();
        await Sql.ExecAsync("""
            UPDATE notifications SET "NextAttemptAt" = now() + interval '100 years'
             WHERE "Status" = 'Pending' AND "Channel" = 'Sms' AND "LoanId" <> @loan
            """, ("loan", loan));
        return (loan, await SmsAsync(loan));
    }

    private async Task<Notification> SmsAsync(Guid loan)
    {
        await using var db = Sql.Db();
        return await db.Notifications.AsNoTracking().SingleAsync(n => n.LoanId == loan && n.Channel == NotificationChannel.Sms);
    }

    /// <summary>Plays the backoff's wait: the message is due again now.</summary>
    private Task<int> MakeDueAsync(Guid id) =>
        Sql.ExecAsync("""UPDATE notifications SET "NextAttemptAt" = now() WHERE "Id" = @id""", ("id", id));

    [Fact]
    public async Task AReminderReachesTheCustomerExactlyOnce_EvenWhenTheCloseAndTheDispatcherRunThreeTimes()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        var (loan, sms) = await LoanWithQueuedReminderAsync();
        var dispatcher = Dispatcher(gateway.SmsUrl);
        for (var i = 0; i < 3; i++)
        {
            await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(ThreeDaysBeforeFirstDue, "again-" + i);
            await dispatcher.DispatchDueAsync();
        }

        var received = gateway.Received.Where(m => m.Id == sms.Id).ShouldHaveSingleItem();
        received.To.ShouldBe("13800138000");
        received.Text.ShouldContain("第1期");
        received.Text.ShouldContain("2025-04-08");
        received.IdempotencyKey.ShouldBe(sms.Id.ToString());
        gateway.Received.Count(m => m.Text == sms.Body).ShouldBe(1);
        var after = await SmsAsync(loan);
        after.Status.ShouldBe(NotificationStatus.Sent);
        after.Attempts.ShouldBe(1);
        after.SentAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task WhileTheGatewayIsCalled_NoTransactionOrRowLockIsHeld_AndASecondNodeDoesNotSendTheClaimedMessage()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        var (loan, sms) = await LoanWithQueuedReminderAsync();
        var lockedDuringCall = new List<bool>();
        var secondNodeSent = -1;
        gateway.WhileSending = async id =>
        {
            // another session takes the row's lock without waiting: possible only if the sender holds none
            await using var conn = new NpgsqlConnection(App.DatabaseConnection);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var probe = new NpgsqlCommand("""SELECT "Id" FROM notifications WHERE "Id" = @id FOR UPDATE NOWAIT""", conn, tx);
            probe.Parameters.AddWithValue("id", id);
            try
            {
                await probe.ExecuteScalarAsync();
                lockedDuringCall.Add(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                lockedDuringCall.Add(true);
            }

            await tx.RollbackAsync();
            // a second node dispatching meanwhile finds the message leased, not due
            if (secondNodeSent < 0) secondNodeSent = (await Dispatcher(gateway.SmsUrl).DispatchDueAsync()).Sent;
        };

        (await Dispatcher(gateway.SmsUrl).DispatchDueAsync()).Sent.ShouldBe(1);
        lockedDuringCall.ShouldBe([false]);
        secondNodeSent.ShouldBe(0);
        gateway.Received.Where(m => m.Id == sms.Id).ShouldHaveSingleItem();
        (await SmsAsync(loan)).Status.ShouldBe(NotificationStatus.Sent);
    }

    [Fact]
    public async Task WhileTheGatewayIsDown_NothingIsLost_ItIsRetriedLater_AndDeliveredOnce()
    {
        // a gateway that was there and has gone: connection refused
        var gone = await FakeSmsGateway.StartAsync();
        var url = gone.SmsUrl;
        await gone.DisposeAsync();
        var (loan, sms) = await LoanWithQueuedReminderAsync();

        var first = await Dispatcher(url).DispatchDueAsync();
        first.Sent.ShouldBe(0);
        var waiting = await SmsAsync(loan);
        waiting.Status.ShouldBe(NotificationStatus.Pending);
        waiting.Attempts.ShouldBe(1);
        waiting.LastError.ShouldNotBeNull().ShouldStartWith("Gateway unreachable");
        waiting.NextAttemptAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(20), "retried after the backoff, not at once");

        // the gateway is back on the same address; before the backoff has passed nothing is sent
        await using var back = await FakeSmsGateway.StartAsync(new Uri(url).Port);
        (await Dispatcher(url).DispatchDueAsync()).Sent.ShouldBe(0);
        back.Requests.ShouldBe(0);

        await MakeDueAsync(sms.Id);
        (await Dispatcher(url).DispatchDueAsync()).Sent.ShouldBe(1);
        await MakeDueAsync(sms.Id); // even if asked again, a sent message stays sent
        (await Dispatcher(url).DispatchDueAsync()).Sent.ShouldBe(0);
        back.Received.Where(m => m.Id == sms.Id).ShouldHaveSingleItem();
        var delivered = await SmsAsync(loan);
        delivered.Status.ShouldBe(NotificationStatus.Sent);
        delivered.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task AGatewayThatKeepsRefusing_DeadLettersTheMessageAfterMaxAttempts_AndARequeueDeliversIt()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        gateway.Failing = true;
        var (loan, sms) = await LoanWithQueuedReminderAsync();
        var dispatcher = Dispatcher(gateway.SmsUrl, maxAttempts: 3);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await MakeDueAsync(sms.Id);
            await dispatcher.DispatchDueAsync();
            var row = await SmsAsync(loan);
            row.Attempts.ShouldBe(attempt);
            row.LastError.ShouldBe("HTTP 503 Service Unavailable");
            row.Status.ShouldBe(attempt < 3 ? NotificationStatus.Pending : NotificationStatus.Dead);
        }

        await MakeDueAsync(sms.Id);
        await dispatcher.DispatchDueAsync();
        (await SmsAsync(loan)).Attempts.ShouldBe(3, "a dead letter is not retried by itself");

        gateway.Failing = false;
        (await dispatcher.RequeueAsync(sms.Id)).ShouldBeTrue();
        (await dispatcher.DispatchDueAsync()).Sent.ShouldBe(1);
        gateway.Received.Where(m => m.Id == sms.Id).ShouldHaveSingleItem();
        (await SmsAsync(loan)).Status.ShouldBe(NotificationStatus.Sent);
        (await dispatcher.RequeueAsync(sms.Id)).ShouldBeFalse("only a dead letter can be requeued");
    }

    [Fact]
    public async Task TheOfficersBell_CountsTheInAppReminder_AndMarkingItReadClearsIt()
    {
        var (loan, _) = await LoanWithQueuedReminderAsync();
        await using var officer = await ActingAs.UserAsync(App.Services, "officer");
        var bell = officer.Get<NotificationQueries>();
        var unread = await bell.UnreadCountAsync();
        unread.ShouldBeGreaterThanOrEqualTo(1);
        var item = (await bell.RecentAsync(50)).Where(i => i.LoanId == loan).ShouldHaveSingleItem();
        item.Read.ShouldBeFalse();
        item.Body.ShouldContain("第1期");

        (await bell.MarkReadAsync(item.Id)).ShouldBe(1);
        (await bell.UnreadCountAsync()).ShouldBe(unread - 1);
        (await bell.RecentAsync(50)).Single(i => i.Id == item.Id).Read.ShouldBeTrue();

        // someone else's bell does not see it, and cannot mark it
        await using var lead = await ActingAs.UserAsync(App.Services, "lead");
        (await lead.Get<NotificationQueries>().RecentAsync(500)).ShouldNotContain(i => i.Id == item.Id);
        await bell.MarkReadAsync(null);
        (await bell.UnreadCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task OnlyAnAdminRequeuesADeadLetter_AndItIsListedUntilThen()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        gateway.Failing = true;
        var (loan, sms) = await LoanWithQueuedReminderAsync();
        await Dispatcher(gateway.SmsUrl, maxAttempts: 1).DispatchDueAsync();
        await using var admin = await ActingAs.UserAsync(App.Services, "admin");
        var queries = admin.Get<NotificationQueries>();
        var dead = await queries.DeadLettersAsync(0, 500);
        var row = dead.Items.Single(d => d.Id == sms.Id);
        row.LastError.ShouldBe("HTTP 503 Service Unavailable");
        row.LoanId.ShouldBe(loan);
        (await queries.CountsAsync()).Dead.ShouldBeGreaterThanOrEqualTo(1);

        await using var finance = await ActingAs.UserAsync(App.Services, "finance");
        (await finance.Get<NotificationQueries>().RequeueAsync(sms.Id)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.NotificationAdminOnly);
        (await SmsAsync(loan)).Status.ShouldBe(NotificationStatus.Dead);

        (await queries.RequeueAsync(sms.Id)).IsSuccess.ShouldBeTrue();
        (await SmsAsync(loan)).Status.ShouldBe(NotificationStatus.Pending);
        (await queries.DeadLettersAsync(0, 500)).Items.ShouldNotContain(d => d.Id == sms.Id);
        (await queries.RequeueAsync(sms.Id)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.NotificationNotDead);
    }
}
