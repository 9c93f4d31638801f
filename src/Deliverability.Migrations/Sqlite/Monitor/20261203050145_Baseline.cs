using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Migrations.Sqlite.Monitor
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "added_domains",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    DkimSelectors = table.Column<string>(type: "TEXT", nullable: false),
                    SendingIps = table.Column<string>(type: "TEXT", nullable: false),
                    ReturnPathDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    DkimSigningDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_added_domains", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                columns: table => new
                {
                    GroupKey = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Receiver = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_deliveries", x => new { x.GroupKey, x.Receiver });
                });

            migrationBuilder.CreateTable(
                name: "alert_groups",
                columns: table => new
                {
                    GroupKey = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Receiver = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GroupLabelsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextFlushAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NotifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NotifiedFiringJson = table.Column<string>(type: "TEXT", nullable: false),
                    NotifiedResolvedJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_groups", x => new { x.GroupKey, x.Receiver });
                });

            migrationBuilder.CreateTable(
                name: "alert_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AlertName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_history", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "alert_rule_overrides",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_rule_overrides", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "alert_silences",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MatchersJson = table.Column<string>(type: "TEXT", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_silences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AlertName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LabelsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AnnotationsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ActiveSince = table.Column<long>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MutedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alerts", x => x.Fingerprint);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ListedSince = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Codes = table.Column<string>(type: "TEXT", nullable: false),
                    Meaning = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_query_counts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Used = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_query_counts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_states",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Zone = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    StateSince = table.Column<long>(type: "INTEGER", nullable: true),
                    VerdictAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Codes = table.Column<string>(type: "TEXT", nullable: false),
                    Meaning = table.Column<string>(type: "TEXT", nullable: true),
                    ReasonText = table.Column<string>(type: "TEXT", nullable: true),
                    LastStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LastCapped = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastUntrusted = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastMessage = table.Column<string>(type: "TEXT", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_states",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Check = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FindingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    RecordsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ErrorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    WarningCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Since = table.Column<long>(type: "INTEGER", nullable: false),
                    BadRuns = table.Column<int>(type: "INTEGER", nullable: true),
                    BadSince = table.Column<long>(type: "INTEGER", nullable: true),
                    BadStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    BadFindingsJson = table.Column<string>(type: "TEXT", nullable: true),
                    RecordsBaselineJson = table.Column<string>(type: "TEXT", nullable: true),
                    DriftAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DriftPreviousJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Check = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ToStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_transitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_receivers",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "TEXT", nullable: false),
                    RoutingKey = table.Column<string>(type: "TEXT", nullable: false),
                    EmailHost = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    EmailPort = table.Column<int>(type: "INTEGER", nullable: false),
                    EmailSecurity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EmailUser = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    EmailPassword = table.Column<string>(type: "TEXT", nullable: false),
                    EmailFrom = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    EmailTo = table.Column<string>(type: "TEXT", nullable: false),
                    SendResolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_receivers", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_seeds",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    ImapHost = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    ImapPort = table.Column<int>(type: "INTEGER", nullable: false),
                    ImapSecurity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ImapUser = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    ImapPassword = table.Column<string>(type: "TEXT", nullable: false),
                    InboxFolder = table.Column<string>(type: "TEXT", nullable: true),
                    SpamFolder = table.Column<string>(type: "TEXT", nullable: true),
                    OtherFolders = table.Column<string>(type: "TEXT", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_seeds", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_send_paths",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Security = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    User = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Password = table.Column<string>(type: "TEXT", nullable: false),
                    EnvelopeSender = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_send_paths", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "domain_audits",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_domain_audits", x => x.Domain);
                });

            migrationBuilder.CreateTable(
                name: "forecast_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Frequency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ModelVersion = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    FallbackReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IntervalLevel = table.Column<double>(type: "REAL", nullable: true),
                    HistoryEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    HistoryPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    Horizon = table.Column<TimeSpan>(type: "TEXT", nullable: true),
                    BacktestWape = table.Column<double>(type: "REAL", nullable: true),
                    BacktestMase = table.Column<double>(type: "REAL", nullable: true),
                    BacktestCoverage = table.Column<double>(type: "REAL", nullable: true),
                    SeasonalNaiveWape = table.Column<double>(type: "REAL", nullable: true),
                    BacktestOrigins = table.Column<int>(type: "INTEGER", nullable: true),
                    BacktestHorizon = table.Column<TimeSpan>(type: "TEXT", nullable: true),
                    RepairsJson = table.Column<string>(type: "TEXT", nullable: true),
                    PointsJson = table.Column<string>(type: "TEXT", nullable: true),
                    CampaignsJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_forecast_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "load_test_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Scenario = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SendPath = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    StopReason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ThresholdsHeld = table.Column<bool>(type: "INTEGER", nullable: true),
                    KneeRate = table.Column<double>(type: "REAL", nullable: true),
                    AchievedRate = table.Column<double>(type: "REAL", nullable: true),
                    P99Ms = table.Column<double>(type: "REAL", nullable: true),
                    ErrorRate = table.Column<double>(type: "REAL", nullable: true),
                    Completed = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: true),
                    CapacityJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_load_test_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notification_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Receiver = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ReceiverType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    GroupKey = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    DurationMs = table.Column<double>(type: "REAL", nullable: false),
                    NextDelayMs = table.Column<double>(type: "REAL", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_attempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "placement_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SendPath = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Seeds = table.Column<int>(type: "INTEGER", nullable: false),
                    Inbox = table.Column<int>(type: "INTEGER", nullable: false),
                    Spam = table.Column<int>(type: "INTEGER", nullable: false),
                    Other = table.Column<int>(type: "INTEGER", nullable: false),
                    Missing = table.Column<int>(type: "INTEGER", nullable: false),
                    Errors = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_placement_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "planned_campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpectedVolume = table.Column<double>(type: "REAL", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_planned_campaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "volume_history",
                columns: table => new
                {
                    Stream = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_volume_history", x => new { x.Stream, x.Timestamp });
                });

            migrationBuilder.CreateTable(
                name: "placement_seed_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Placement = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Folder = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ArrivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Spf = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Dkim = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Dmarc = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    AuthenticationResultsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_placement_seed_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_placement_seed_results_placement_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "placement_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_history_At",
                table: "alert_history",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_alert_history_Fingerprint_At",
                table: "alert_history",
                columns: new[] { "Fingerprint", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_alert_silences_EndsAt",
                table: "alert_silences",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_alerts_State",
                table: "alerts",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_events_At",
                table: "blacklist_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_events_Target_Zone_At",
                table: "blacklist_events",
                columns: new[] { "Target", "Zone", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_query_counts_Zone_Day",
                table: "blacklist_query_counts",
                columns: new[] { "Zone", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_states_State",
                table: "blacklist_states",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_blacklist_states_Target_Zone",
                table: "blacklist_states",
                columns: new[] { "Target", "Zone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_check_states_CheckedAt",
                table: "check_states",
                column: "CheckedAt");

            migrationBuilder.CreateIndex(
                name: "IX_check_states_Domain_Check",
                table: "check_states",
                columns: new[] { "Domain", "Check" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_check_transitions_At",
                table: "check_transitions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_check_transitions_Domain_Check_At",
                table: "check_transitions",
                columns: new[] { "Domain", "Check", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_forecast_runs_Stream_CreatedAt",
                table: "forecast_runs",
                columns: new[] { "Stream", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_load_test_runs_Scenario_StartedAt",
                table: "load_test_runs",
                columns: new[] { "Scenario", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_load_test_runs_SendPath_StartedAt",
                table: "load_test_runs",
                columns: new[] { "SendPath", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_load_test_runs_StartedAt",
                table: "load_test_runs",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_notification_attempts_Receiver_Id",
                table: "notification_attempts",
                columns: new[] { "Receiver", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_placement_runs_StartedAt",
                table: "placement_runs",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_placement_seed_results_RunId_Position",
                table: "placement_seed_results",
                columns: new[] { "RunId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_planned_campaigns_Stream_Date",
                table: "planned_campaigns",
                columns: new[] { "Stream", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "added_domains");

            migrationBuilder.DropTable(
                name: "alert_deliveries");

            migrationBuilder.DropTable(
                name: "alert_groups");

            migrationBuilder.DropTable(
                name: "alert_history");

            migrationBuilder.DropTable(
                name: "alert_rule_overrides");

            migrationBuilder.DropTable(
                name: "alert_silences");

            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "blacklist_events");

            migrationBuilder.DropTable(
                name: "blacklist_query_counts");

            migrationBuilder.DropTable(
                name: "blacklist_states");

            migrationBuilder.DropTable(
                name: "check_states");

            migrationBuilder.DropTable(
                name: "check_transitions");

            migrationBuilder.DropTable(
                name: "dashboard_receivers");

            migrationBuilder.DropTable(
                name: "dashboard_seeds");

            migrationBuilder.DropTable(
                name: "dashboard_send_paths");

            migrationBuilder.DropTable(
                name: "domain_audits");

            migrationBuilder.DropTable(
                name: "forecast_runs");

            migrationBuilder.DropTable(
                name: "load_test_runs");

            migrationBuilder.DropTable(
                name: "notification_attempts");

            migrationBuilder.DropTable(
                name: "placement_seed_results");

            migrationBuilder.DropTable(
                name: "planned_campaigns");

            migrationBuilder.DropTable(
                name: "volume_history");

            migrationBuilder.DropTable(
                name: "placement_runs");
        }
    }
}
