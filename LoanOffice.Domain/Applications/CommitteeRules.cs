using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Applications;

/// <summary>Where a loan committee meeting (审贷会) stands; derived from its date and its agenda, never stored.</summary>
public enum MeetingStatus
{
    /// <summary>待开会: the meeting is today or later and nothing has been decided yet.</summary>
    Planned,
    /// <summary>待登记决议: some files on the agenda still wait for their recorded decision (the meeting took place, or is under way).</summary>
    AwaitingMinutes,
    /// <summary>已完成: every file on the agenda has its decision.</summary>
    Completed,
}

/// <summary>One member's vote as the secretary records it from the meeting.</summary>
public sealed record MemberVote(Guid MemberId, bool Approve, string? Comment);

/// <summary>
/// The rules of a loan committee meeting (DOMAIN.md, committee mode): a team's meeting on a date with members chosen
/// from the staff who sit on the committee; files of the team are put on its agenda; after the meeting the secretary
/// records each file's decision with every member's vote.
/// </summary>
public static class CommitteeRules
{
    /// <summary>A meeting has at least three members (an odd or even number; a tie is a decision the secretary records as the chair rules).</summary>
    public const int MinimumMembers = 3;

    /// <summary>Checks a planned meeting: not in the past, at least <see cref="MinimumMembers"/> different members, each eligible.</summary>
    public static Error? CheckPlan(DateOnly date, DateOnly today, IReadOnlyList<Guid> members, Func<Guid, bool> eligible)
    {
        var errors = new List<Error>();
        if (date < today) errors.Add(Error.Of(ErrorCodes.CommitteeDateInPast, today).At("date"));
        if (members.Distinct().Count() < MinimumMembers || members.Distinct().Count() != members.Count)
            errors.Add(Error.Of(ErrorCodes.CommitteeMembersRequired, MinimumMembers).At("members"));
        else if (members.Any(m => !eligible(m))) errors.Add(Error.Of(ErrorCodes.CommitteeMemberNotEligible).At("members"));
        return Error.Combine(errors);
    }

    public static MeetingStatus StatusOf(DateOnly date, DateOnly today, int agendaItems, int decided) =>
        agendaItems > 0 && decided == agendaItems ? MeetingStatus.Completed
        : decided > 0 || date < today ? MeetingStatus.AwaitingMinutes
        : MeetingStatus.Planned;

    /// <summary>A file goes on the agenda of a meeting that has not yet taken place (today's included).</summary>
    public static Error? CheckAgenda(DateOnly date, DateOnly today) =>
        date < today ? Error.Of(ErrorCodes.CommitteeMeetingPast, date) : null;

    /// <summary>
    /// The decision of a file is recorded on or after the meeting's day, with one vote from every member and from
    /// members only.
    /// </summary>
    public static Error? CheckMinutes(DateOnly date, DateOnly today, IReadOnlyCollection<Guid> members, IReadOnlyCollection<MemberVote> votes)
    {
        if (date > today) return Error.Of(ErrorCodes.CommitteeMeetingNotHeld, date);
        if (votes.Any(v => !members.Contains(v.MemberId)) || votes.Select(v => v.MemberId).Distinct().Count() != votes.Count)
            return Error.Of(ErrorCodes.CommitteeNotMembers).At("memberVotes");
        if (members.Any(m => votes.All(v => v.MemberId != m))) return Error.Of(ErrorCodes.CommitteeAllVotesRequired).At("memberVotes");
        return null;
    }
}
