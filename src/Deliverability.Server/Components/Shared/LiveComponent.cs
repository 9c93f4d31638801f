using Microsoft.AspNetCore.Components;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;

namespace Deliverability.Server.Components.Shared;

/// <summary>
/// A page or panel that reloads when audits complete (and on the other feeds it <see cref="Listen{T}"/>s to): subscribed
/// to <see cref="LiveFeed{T}"/> only while interactive, throttled (<see cref="ThrottledRefresh"/>: one reload for a burst
/// on any of its feeds) and unsubscribed when the component goes away.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private readonly List<Func<Action, IDisposable>> _otherFeeds = [];
    private readonly List<IDisposable> _otherSubscriptions = [];
    private IDisposable? _subscription;
    private ThrottledRefresh? _throttle;

    [Inject]
    private LiveFeed<DomainAuditCompleted> Completed { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    /// <summary>
    /// When the newest live event this component has seen arrived (its creation before any): data loaded after this
    /// includes every result that event announced.
    /// </summary>
    protected DateTimeOffset FreshAfter { get; private set; }

    /// <summary>Reads the component's data again (called first at initialisation, then on live events).</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Whether an audit of this domain concerns the component (all by default).</summary>
    protected virtual bool Concerns(DomainAuditCompleted completed) => true;

    /// <summary>
    /// Also reloads on the events of <paramref name="feed"/> that <paramref name="concerns"/> (all when null). Call it
    /// from <c>OnInitialized</c> with an injected feed: the feeds are subscribed at the first interactive render.
    /// </summary>
    protected void Listen<T>(LiveFeed<T> feed, Func<T, bool>? concerns = null) =>
        _otherFeeds.Add(changed => feed.Subscribe(e =>
        {
            if (concerns is null || concerns(e))
            {
                changed();
            }

            return Task.CompletedTask;
        }));

    protected override async Task OnInitializedAsync()
    {
        FreshAfter = Time.GetUtcNow();
        await LoadAsync(CancellationToken.None);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive render reaches here: a prerender or static page holds no subscription.
        if (firstRender && _subscription is null)
        {
            _throttle = new ThrottledRefresh(() => InvokeAsync(async () =>
            {
                await LoadAsync(CancellationToken.None);
                StateHasChanged();
            }), Time);
            _subscription = Completed.Subscribe(e =>
            {
                if (Concerns(e))
                {
                    FreshAfter = Time.GetUtcNow();
                    _throttle.Request();
                }

                return Task.CompletedTask;
            });
            foreach (var subscribe in _otherFeeds)
            {
                _otherSubscriptions.Add(subscribe(() =>
                {
                    FreshAfter = Time.GetUtcNow();
                    _throttle.Request();
                }));
            }

            // An audit that completed between the first load and the subscription would otherwise be missed.
            FreshAfter = Time.GetUtcNow();
            _throttle.Request();
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _otherSubscriptions.ForEach(s => s.Dispose());
        _throttle?.Dispose();
        GC.SuppressFinalize(this);
    }
}
