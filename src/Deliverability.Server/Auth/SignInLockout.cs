using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Deliverability.Server.Auth;

/// <summary>
/// Wrong passwords counted per (user name as typed, client): after <see cref="SignInOptions.LockoutAttempts"/> in a row,
/// that client may not sign in as that name for <see cref="SignInOptions.LockoutDuration"/>, even with the right password.
/// </summary>
/// <remarks>
/// Per client, not per account: a stranger who guesses locks out only themselves, and the real user signs in from their
/// own address; a lockout of the account itself would let anyone keep <c>admin</c> locked with a few posts every few
/// minutes. A name that is no user is counted the same way, so the answers do not tell which names exist. Guessing from
/// many addresses is slowed by the per-address rate limit and by 12-character passwords, not by this. Counts live in
/// memory (per node, forgotten at restart) and are bounded: when <see cref="MaxTracked"/> pairs are counted and none
/// has expired, new pairs go uncounted (the rate limit still applies) rather than growing without end.
/// </remarks>
public sealed class SignInLockout(IOptions<SignInOptions> options, TimeProvider time)
{
    public const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<(string Name, string Client), Failures> _counts = new();

    /// <summary>Whether <paramref name="client"/> is locked out of <paramref name="name"/> now.</summary>
    public bool IsLockedOut(string name, string client) =>
        _counts.TryGetValue((name, client), out var failures) && failures.IsLockedAt(time.GetUtcNow());

    /// <summary>Counts a wrong password; true when this one locks the client out of the name.</summary>
    public bool RecordFailure(string name, string client)
    {
        var now = time.GetUtcNow();
        if (!_counts.TryGetValue((name, client), out var failures))
        {
            if (_counts.Count >= MaxTracked)
            {
                ForgetExpired(now);
                if (_counts.Count >= MaxTracked)
                {
                    return false;
                }
            }

            failures = _counts.GetOrAdd((name, client), _ => new Failures());
        }

        return failures.Add(now, options.Value.LockoutAttempts, options.Value.LockoutDuration);
    }

    /// <summary>After a successful sign-in: the client starts again from zero for this name.</summary>
    public void Forget(string name, string client) => _counts.TryRemove((name, client), out _);

    /// <summary>After an administrator reset the password: every client starts again from zero for this name.</summary>
    public void ForgetName(string name)
    {
        foreach (var key in _counts.Keys.Where(k => k.Name == name))
        {
            _counts.TryRemove(key, out _);
        }
    }

    private void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (key, failures) in _counts)
        {
            if (failures.HasExpiredAt(now, options.Value.LockoutDuration))
            {
                _counts.TryRemove(key, out _);
            }
        }
    }

    private sealed class Failures
    {
        private readonly Lock _gate = new();
        private int _inARow;
        private DateTimeOffset _last;
        private DateTimeOffset _lockedUntil;

        public bool IsLockedAt(DateTimeOffset now)
        {
            lock (_gate)
            {
                return now < _lockedUntil;
            }
        }

        public bool HasExpiredAt(DateTimeOffset now, TimeSpan duration)
        {
            lock (_gate)
            {
                return now >= _lockedUntil && now - _last >= duration;
            }
        }

        public bool Add(DateTimeOffset now, int limit, TimeSpan duration)
        {
            lock (_gate)
            {
                // Wrong passwords further apart than a lockout are not "in a row": an occasional typo never adds up.
                _inARow = now - _last >= duration ? 1 : _inARow + 1;
                _last = now;
                if (_inARow < limit)
                {
                    return false;
                }

                _inARow = 0;
                _lockedUntil = now + duration;
                return true;
            }
        }
    }
}
