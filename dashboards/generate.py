#!/usr/bin/env python3
"""Writes the Grafana dashboards of this folder: each one twice, over Prometheus (prometheus-*.json) and over
InfluxDB 2 with Flux (influxdb-*.json), from the panel list below. Run it after changing a panel:
    python3 dashboards/generate.py
The names it queries are the service's instruments (src/Deliverability.Core/Metrics/DeliverabilityInstruments.cs);
DashboardTests checks every query against them."""
import json
import os

PROM = {"type": "prometheus", "uid": "monitor-prometheus"}
FLUX = {"type": "influxdb", "uid": "monitor-influxdb"}


def counter(measurement, by, prom_filter=""):
    """Events per second, by the given tags."""
    sel = f"{measurement}_total{prom_filter}"
    return {
        "prom": f"sum by ({', '.join(by)}) (rate({sel}[$__rate_interval]))",
        "legend": " ".join("{{" + t + "}}" for t in by),
        "flux": flux_counter(measurement, by),
    }


def flux_counter(measurement, by):
    return (f'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n'
            f'  |> filter(fn: (r) => r._measurement == "{measurement}" and r._field == "count")\n'
            f'  |> group(columns: {json.dumps(by)})\n'
            f'  |> aggregateWindow(every: v.windowPeriod, fn: sum, createEmpty: false)')


def quantile(measurement, by, q=0.95):
    """A histogram's quantile (Prometheus) and its mean (InfluxDB keeps count, sum, min and max per interval)."""
    return {
        "prom": f"histogram_quantile({q}, sum by (le, {', '.join(by)}) (rate({measurement}_seconds_bucket[$__rate_interval])))",
        "legend": " ".join("{{" + t + "}}" for t in by),
        "flux": (f'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n'
                 f'  |> filter(fn: (r) => r._measurement == "{measurement}" and (r._field == "sum" or r._field == "count"))\n'
                 f'  |> group(columns: {json.dumps(by + ["_field"])})\n'
                 f'  |> aggregateWindow(every: v.windowPeriod, fn: sum, createEmpty: false)\n'
                 f'  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")\n'
                 f'  |> map(fn: (r) => ({{_time: r._time, {", ".join(t + ": r." + t for t in by)}, _value: r.sum / float(v: r.count)}}))'),
    }


def gauge(measurement, by, prom_name=None, prom_filter="", flux_filter=""):
    """The latest value of a gauge."""
    name = prom_name or measurement
    return {
        "prom": f"max by ({', '.join(by)}) ({name}{prom_filter})",
        "legend": " ".join("{{" + t + "}}" for t in by),
        "flux": (f'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n'
                 f'  |> filter(fn: (r) => r._measurement == "{measurement}" and r._field == "value"{flux_filter})\n'
                 f'  |> group(columns: {json.dumps(by)})\n'
                 f'  |> aggregateWindow(every: v.windowPeriod, fn: last, createEmpty: false)'),
    }


def ratio(measurement, by, numerator_tag, numerator_value, exclude_tag=None, exclude_value=None):
    """The share of counted events whose tag has a value (the inbox rate)."""
    exclude = f',{exclude_tag}!="{exclude_value}"' if exclude_tag else ""
    flux_exclude = f' and r.{exclude_tag} != "{exclude_value}"' if exclude_tag else ""
    by_list = ", ".join(by)
    return {
        "prom": (f'sum by ({by_list}) (increase({measurement}_total{{{numerator_tag}="{numerator_value}"}}[1h]))'
                 f' / sum by ({by_list}) (increase({measurement}_total{{{exclude[1:] if exclude else ""}}}[1h]))'),
        "legend": " ".join("{{" + t + "}}" for t in by),
        "flux": (f'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n'
                 f'  |> filter(fn: (r) => r._measurement == "{measurement}" and r._field == "count"{flux_exclude})\n'
                 f'  |> map(fn: (r) => ({{r with _value: float(v: r._value), hit: if r.{numerator_tag} == "{numerator_value}" then float(v: r._value) else 0.0}}))\n'
                 f'  |> group(columns: {json.dumps(by)})\n'
                 f'  |> window(every: 1h)\n'
                 f'  |> reduce(identity: {{all: 0.0, hit: 0.0}}, fn: (r, accumulator) => ({{all: accumulator.all + r._value, hit: accumulator.hit + r.hit}}))\n'
                 f'  |> map(fn: (r) => ({{_time: r._stop, {", ".join(t + ": r." + t for t in by)}, _value: r.hit / r.all}}))'),
    }


def service(prom, legend, flux_measurement=None):
    """A figure of the service itself (HTTP, runtime): Prometheus only, since the InfluxDB export carries the
    Deliverability meter; on InfluxDB the panel shows the export's own figures instead."""
    return {"prom": prom, "legend": legend, "flux": None}


DASHBOARDS = [
    ("overview", "Overview", "Readiness at a glance: audits, blacklists, placement, alerts, sending, capacity, the service itself", [
        ("Domain audits by status", "ops", [counter("deliverability_audits", ["status"])]),
        ("Blacklist answers: listed", "ops", [counter("deliverability_blacklist_results", ["zone"], '{status="listed"}')]),
        ("Placement seeds by placement", "ops", [counter("deliverability_placement_seeds", ["placement"])]),
        ("Alert state changes", "ops", [counter("deliverability_alerts_transitions", ["state"])]),
        ("Send events by kind", "ops", [counter("deliverability_send_events", ["kind"])]),
        ("Capacity (knee) per send path", "none", [gauge("deliverability_loadtest_knee", ["send_path"])]),
        ("Forecast vs actual volume", "none", [gauge("deliverability_volume_forecast", ["stream"], prom_filter='{bound="point"}', flux_filter=' and r.bound == "point"'),
                                               gauge("deliverability_volume_actual", ["stream"])]),
        ("Scheduler misfires", "ops", [counter("deliverability_scheduler_misfires", ["job"])]),
        ("Scheduled jobs running", "none", [gauge("deliverability_scheduler_jobs_running", ["job"])]),
        ("Job duration (p95)", "s", [quantile("deliverability_scheduler_job_duration", ["job"])]),
        ("HTTP requests by status", "reqps", [service('sum by (http_response_status_code) (rate(http_server_request_duration_seconds_count[$__rate_interval]))', "{{http_response_status_code}}")]),
        ("GC collections and thread-pool queue", "none", [service('sum by (gc_heap_generation) (rate(dotnet_gc_collections_total[$__rate_interval]))', "gen {{gc_heap_generation}}"),
                                                          service('dotnet_thread_pool_queue_length', "thread-pool queue")]),
        ("InfluxDB export: points buffered", "none", [gauge("deliverability_export_influx_buffered", [])]),
        ("InfluxDB export: points dropped", "ops", [counter("deliverability_export_influx_dropped", [])]),
    ]),
    ("audits-blacklists", "Audits and blacklists", "Checks of the sending domains and the blacklist answers", [
        ("Checks by check and status", "ops", [counter("deliverability_audit_checks", ["check", "status"])]),
        ("Checks failing (error or unknown)", "ops", [counter("deliverability_audit_checks", ["check"], '{status=~"error|unknown"}')]),
        ("Check duration (p95)", "s", [quantile("deliverability_audit_check_duration", ["check"])]),
        ("Domain audit duration (p95)", "s", [quantile("deliverability_audit_duration", ["status"])]),
        ("Blacklist answers by zone and status", "ops", [counter("deliverability_blacklist_results", ["zone", "status"])]),
        ("Listings and delistings", "ops", [counter("deliverability_blacklist_changes", ["zone", "kind"])]),
        ("Refused or failed blacklist queries", "ops", [counter("deliverability_blacklist_results", ["zone", "status"], '{status=~"refused|error"}')]),
    ]),
    ("placement", "Placement", "Seed-inbox placement runs by provider", [
        ("Seeds by provider and placement", "ops", [counter("deliverability_placement_seeds", ["provider", "placement"])]),
        ("Inbox rate by provider (last hour)", "percentunit", [ratio("deliverability_placement_seeds", ["provider"], "placement", "inbox", "placement", "error")]),
        ("Delivery time (p95) by provider", "s", [quantile("deliverability_placement_delivery_time", ["provider"])]),
        ("Runs by send path and outcome", "ops", [counter("deliverability_placement_runs", ["send_path", "outcome"])]),
    ]),
    ("sending", "Sending", "Send events, DMARC reports and alert notifications", [
        ("Send events by kind", "ops", [counter("deliverability_send_events", ["kind"])]),
        ("Send events by mailbox provider", "ops", [counter("deliverability_send_events", ["mailbox_provider", "kind"])]),
        ("Send events by sending provider", "ops", [counter("deliverability_send_events", ["provider", "kind"])]),
        ("DMARC reports by outcome", "ops", [counter("deliverability_dmarc_reports", ["outcome"])]),
        ("Alert notifications by outcome", "ops", [counter("deliverability_alerts_notifications", ["receiver_type", "outcome"])]),
        ("Alerts entering a state", "ops", [counter("deliverability_alerts_transitions", ["alertname", "state"])]),
    ]),
    ("load-tests", "Load tests", "Runs of the send-path load tests: throughput, latency, errors, capacity", [
        ("Runs by kind, origin and status", "ops", [counter("deliverability_loadtest_runs", ["kind", "origin", "status"])]),
        ("Throughput of the latest run (messages/s)", "none", [gauge("deliverability_loadtest_throughput", ["scenario"])]),
        ("p99 response time of the latest run", "s", [gauge("deliverability_loadtest_latency_p99", ["scenario"], prom_name="deliverability_loadtest_latency_p99_seconds")]),
        ("Error rate of the latest run", "percentunit", [gauge("deliverability_loadtest_error_rate", ["scenario"])]),
        ("Capacity (knee) per send path (messages/s)", "none", [gauge("deliverability_loadtest_knee", ["send_path"])]),
    ]),
    ("forecast-vs-actual", "Forecast vs actual", "Each stream's forecast for the period now, its interval, and the latest actual volume", [
        ("Forecast and interval", "none", [gauge("deliverability_volume_forecast", ["stream", "bound"])]),
        ("Actual volume", "none", [gauge("deliverability_volume_actual", ["stream"])]),
        ("Forecast vs actual", "none", [gauge("deliverability_volume_forecast", ["stream"], prom_filter='{bound="point"}', flux_filter=' and r.bound == "point"'),
                                        gauge("deliverability_volume_actual", ["stream"])]),
    ]),
]


def panel(index, title, unit, queries, source):
    targets = []
    for query in queries:
        if source == "prometheus":
            targets.append({"refId": chr(65 + len(targets)), "datasource": PROM, "expr": query["prom"], "legendFormat": query["legend"]})
        elif query["flux"] is not None:
            targets.append({"refId": chr(65 + len(targets)), "datasource": FLUX, "query": query["flux"]})
    if not targets:
        return None
    return {
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "datasource": PROM if source == "prometheus" else FLUX,
        "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": targets,
    }


def dashboard(slug, title, description, panels, source):
    built = [p for p in (panel(i, t, u, q, source) for i, (t, u, q) in enumerate(panels)) if p is not None]
    for i, p in enumerate(built):
        p["id"] = i + 1
        p["gridPos"].update({"x": (i % 2) * 12, "y": (i // 2) * 8})
    label = "Prometheus" if source == "prometheus" else "InfluxDB"
    return {
        "uid": f"monitor-{source}-{slug}"[:40],
        "title": f"{title} ({label})",
        "description": description,
        "tags": ["deliverability", source],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "1m",
        "time": {"from": "now-24h", "to": "now"},
        "panels": built,
    }


def main():
    folder = os.path.dirname(os.path.abspath(__file__))
    for slug, title, description, panels in DASHBOARDS:
        for source in ("prometheus", "influxdb"):
            path = os.path.join(folder, f"{source}-{slug}.json")
            with open(path, "w", encoding="utf-8") as out:
                json.dump(dashboard(slug, title, description, panels, source), out, indent=2)
                out.write("\n")


if __name__ == "__main__":
    main()
