using System.Collections.Concurrent;

namespace LoanOffice.Web.Features.Reports;

/// <summary>
/// How far each running ZIP download has come, by the token its page put in the URL: the Reports page polls it to show
/// "n of N reports" while the browser receives the stream. Finished entries are dropped after a minute.
/// </summary>
public sealed class BundleProgress(TimeProvider clock)
{
    public sealed record State(int Done, int Total, bool Finished, DateTimeOffset UpdatedAt);

    private readonly ConcurrentDictionary<Guid, State> _states = new();

    public void Report(Guid token, int done, int total, bool finished = false)
    {
        var now = clock.GetUtcNow();
        _states[token] = new State(done, total, finished, now);
        foreach (var (key, state) in _states)
            if (state.Finished && now - state.UpdatedAt > TimeSpan.FromMinutes(1)) _states.TryRemove(key, out _);
    }

    public State? Get(Guid token) => _states.TryGetValue(token, out var s) ? s : null;
}
