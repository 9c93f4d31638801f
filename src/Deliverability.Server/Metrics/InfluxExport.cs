using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.Metrics;

/// <summary>What one flush did.</summary>
/// <param name="Gathered">Points made from this interval's measurements.</param>
/// <param name="Written">Points InfluxDB took.</param>
/// <param name="Dropped">The oldest points dropped because the buffer was full.</param>
/// <param name="Buffered">Points still waiting (InfluxDB did not answer, or more than one flush's batches).</param>
public sealed record InfluxFlush(int Gathered, int Written, int Dropped, int Buffered);

/// <summary>
/// Writes the <c>Deliverability</c> meter's measurements to InfluxDB when <c>Monitor:Influx:Url</c> is set: every
/// <see cref="InfluxOptions.FlushInterval"/> each series becomes one point (<see cref="MeasurementAggregator"/>), points
/// queue in a bounded buffer (<see cref="InfluxPointBuffer"/>, oldest dropped and counted when full) and go out in
/// batches of <see cref="InfluxOptions.BatchSize"/>. While InfluxDB cannot be reached the points wait; nothing else in
/// the service waits for it.
/// </summary>
public sealed partial class InfluxExport : BackgroundService
{
    private readonly InfluxOptions _options;
    private readonly DeliverabilityMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxExport> _logger;
    private readonly MeasurementAggregator _aggregator;
    private readonly InfluxPointBuffer _buffer;
    private readonly Dictionary<string, MetricInstrument> _instruments = DeliverabilityInstruments.All.ToDictionary(i => i.Name, StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneFlush = new(1, 1);
    private MeterListener? _listener;
    private IInfluxWriter? _writer;
    private bool _failing;

    public InfluxExport(IOptions<InfluxOptions> options, DeliverabilityMetrics metrics, TimeProvider time, ILogger<InfluxExport> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _aggregator = new MeasurementAggregator(_options.Tags);
        _buffer = new InfluxPointBuffer(_options.BufferCapacity);
    }

    /// <summary>Starts listening to the meter (done by the hosted service's start; a test calls it to flush by hand).</summary>
    public void Listen()
    {
        if (_listener is not null || !_options.Enabled)
        {
            return;
        }

        _writer = IInfluxWriter.Create(_options);
        _metrics.ObserveInfluxBuffer(() => _buffer.Count);
        _listener = new MeterListener
        {
            // This service's meter only: in a process with two hosts (tests) each exports its own measurements.
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, _metrics.Meter) && _instruments.TryGetValue(instrument.Name, out var known))
                {
                    listener.EnableMeasurementEvents(instrument, known);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => _aggregator.Add((MetricInstrument)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => _aggregator.Add((MetricInstrument)state!, value, tags));
        _listener.Start();
        LogExporting(_writer.Target, _options.FlushInterval);
    }

    /// <summary>Turns the interval's measurements into points and writes what the buffer holds, batch by batch, until a write fails.</summary>
    public async Task<InfluxFlush> FlushAsync(CancellationToken cancellationToken)
    {
        if (_listener is null || _writer is null)
        {
            return new InfluxFlush(0, 0, 0, 0);
        }

        await _oneFlush.WaitAsync(cancellationToken);
        try
        {
            _listener.RecordObservableInstruments();
            var lines = _aggregator.Drain(_time.GetUtcNow());
            var dropped = _buffer.Add(lines);
            var written = 0;
            while (_buffer.Take(_options.BatchSize) is { Count: > 0 } batch)
            {
                try
                {
                    await _writer.WriteAsync(batch, cancellationToken);
                    written += batch.Count;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    dropped += _buffer.PutBack(batch);
                    if (!_failing)
                    {
                        _failing = true;
                        LogWriteFailed(_writer.Target, OneLine(ex), _buffer.Count, _options.BufferCapacity);
                    }

                    break;
                }
            }

            if (written > 0 && _failing && _buffer.Count == 0)
            {
                _failing = false;
                LogWriteRecovered(_writer.Target);
            }

            if (written > 0)
            {
                _metrics.InfluxPointsWritten(written);
            }

            if (dropped > 0)
            {
                _metrics.InfluxPointsDropped(dropped);
                LogDropped(dropped, _options.BufferCapacity);
            }

            return new InfluxFlush(lines.Count, written, dropped, _buffer.Count);
        }
        finally
        {
            _oneFlush.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        Listen();
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The last interval's figures, if InfluxDB takes them within its timeout.
        await FlushAsync(CancellationToken.None);
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _writer?.Dispose();
        _oneFlush.Dispose();
        base.Dispose();
    }

    // Exception messages of HTTP clients name the URL at most, never the token; one line of it is enough.
    private static string OneLine(Exception exception) => exception.Message.Split('\n', 2)[0].Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Exporting metrics to InfluxDB at {Target} every {Interval}")]
    private partial void LogExporting(string target, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB at {Target} did not take the metrics ({Reason}); {Buffered} points wait (at most {Capacity})")]
    private partial void LogWriteFailed(string target, string reason, int buffered, int capacity);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB at {Target} takes the metrics again; the waiting points are written")]
    private partial void LogWriteRecovered(string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dropped} metric points dropped, oldest first: the InfluxDB buffer holds at most {Capacity}")]
    private partial void LogDropped(int dropped, int capacity);
}
