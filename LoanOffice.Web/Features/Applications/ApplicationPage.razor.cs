using LoanOffice.Web.Hosting;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace LoanOffice.Web.Features.Applications;

public sealed partial class ApplicationPage
{
    [Parameter] public Guid Id { get; set; }
    [Inject] private ApplicationQueries Queries { get; set; } = default!;
    [Inject] private ApplicationWorkflow Workflow { get; set; } = default!;
    [Inject] private ApprovalService Approval { get; set; } = default!;
    [Inject] private Committee.CommitteeService CommitteeService { get; set; } = default!;
    /// <summary>The committee meeting the file is (or was) on.</summary>
    private Committee.FileAgenda? _agenda;
    [Inject] private ActorContext Context { get; set; } = default!;
    [Inject] private ApplicationEvents Events { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private PersonalDataService PersonalData { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private IOptions<ReviewOptions> Review { get; set; } = default!;
    private DotNetObjectReference<ApplicationPage>? _self;
    private IJSObjectReference? _activityModule;
    private IJSObjectReference? _activityWatch;
    private RevealedPersonalData? _revealed;

    /// <summary>Unmasks the customer's data after asking why; the reveal is audited.</summary>
    private async Task RevealAsync()
    {
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(L["Pii.Reveal"], new DialogParameters<ReasonDialog>
        {
            { d => d.Prompt, L["Pii.RevealPrompt"].Value }, { d => d.ConfirmText, L["Pii.Reveal"].Value },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if ((await dialog.Result) is not { Canceled: false, Data: string reason }) return;
        var result = await PersonalData.RevealAsync(Id, reason);
        if (result.IsSuccess) _revealed = result.Value;
        else _message = ErrorText.Render(result.Error!);
    }

    private ApplicationDetail? _detail;

    /// <summary>Why the approved figures are what they are, in the reader's language (committee, aggregation or settlement).</summary>
    private string? RuleText() => _detail switch
    {
        { ApprovalMode: ApprovalMode.Committee, Committee: { } c } => ApprovalRuleText.DescribeCommittee(c.MeetingDate, c.Votes, L),
        { ApprovalMode: ApprovalMode.Committee, CommitteeVotesHidden: true } => L["Committee.VotesHidden"],
        { Decision: { } d } => ApprovalRuleText.Describe(d, L),
        _ => _detail?.Application.ApprovalRule,
    };
    private Error? _error;
    private Actor? _me;
    private VotesView? _votes;
    private IReadOnlyList<(Guid Id, string Name)> _officers = [];
    private string? _message;
    /// <summary>The last refusal, handed to the form that caused it (it shows it on its fields, every time).</summary>
    private Error? _refusal;
    private bool _busy;
    private IDisposable? _subscription;

    protected override async Task OnParametersSetAsync()
    {
        _me = await Context.ActorAsync();
        // opening the page changes nothing (the first render is the browser's GET): a reviewer claims the file with
        // the actions panel's "start review"
        await LoadAsync();
        _subscription ??= Events.Subscribe(OnChanged);
    }

    private async Task LoadAsync()
    {
        var result = await Queries.DetailAsync(Id);
        _error = result.Error;
        _detail = result.Value;
        if (_detail is null) return;
        _agenda = _detail.ApprovalMode == ApprovalMode.Committee ? await CommitteeService.AgendaOfAsync(Id) : null;
        if (_detail.Application.State == ApplicationState.Approval)
            _votes = (await Approval.VotesAsync(Id)).Value;
        if (_detail.Application.State is ApplicationState.Pool or ApplicationState.Assigned or ApplicationState.Collecting)
            _officers = await Queries.OfficersOfAsync(_detail.Application.TeamId);
    }

    /// <summary>Runs an action from the actions panel, then reloads; refusals are shown, never lost.</summary>
    private async Task RunAsync(Func<Task<Result>> action)
    {
        _busy = true;
        (_message, _refusal) = (null, null);
        try
        {
            var result = await action();
            if (result.IsSuccess) Snackbar.Add(L["Common.Saved"], Severity.Success);
            else (_message, _refusal) = (ErrorText.Render(result.Error!), result.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task UploadAsync(UploadedFile file) => RunAsync(async () =>
    {
        var result = await Workflow.UploadAsync(Id, file);
        return result.IsSuccess ? Result.Success() : Result.Failure(result.Error!);
    });

    private void OnChanged(Guid id)
    {
        if (id != Id || _busy) return;
        _ = InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // a reviewer's claim stays alive while they are active on the page (keys, clicks, scrolling), and lapses when idle
        if (_activityWatch is not null || _me?.Roles.Contains(Roles.Reviewer) != true) return;
        _self = DotNetObjectReference.Create(this);
        try
        {
            _activityModule = await Js.InvokeAsync<IJSObjectReference>("import", "./js/activity.js");
            _activityWatch = await _activityModule.InvokeAsync<IJSObjectReference>("watchActivity", _self, Review.Value.ActivityReportInterval.TotalMilliseconds);
        }
        catch (JSDisconnectedException)
        {
            // the browser left before the page was interactive
        }
    }

    /// <summary>Called by the browser at most once per report interval while the user works on the page.</summary>
    [JSInvokable]
    public async Task OnUserActivity()
    {
        if (_detail?.Application is not { State: ApplicationState.PreliminaryReview } app || _me is null || app.ClaimedBy != _me.UserId || _busy) return;
        var renewed = await Workflow.RenewClaimAsync(Id);
        if (!renewed.IsSuccess)
        {
            _message = ErrorText.Render(renewed.Error!);
            await LoadAsync();
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        try
        {
            if (_activityWatch is not null) await _activityWatch.InvokeVoidAsync("dispose");
            if (_activityWatch is not null) await _activityWatch.DisposeAsync();
            if (_activityModule is not null) await _activityModule.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // circuit already gone: the browser dropped its listeners with the page
        }

        _self?.Dispose();
    }
}
