using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Migrations.Postgres.Monitor
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
                    Name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    DkimSelectors = table.Column<string>(type: "text", nullable: false),
                    SendingIps = table.Column<string>(type: "text", nullable: false),
                    ReturnPathDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    DkimSigningDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_added_domains", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                columns: table => new
                {
                    GroupKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Receiver = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_deliveries", x => new { x.GroupKey, x.Receiver });
                });

            migrationBuilder.CreateTable(
                name: "alert_groups",
                columns: table => new
                {
                    GroupKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Receiver = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GroupLabelsJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NextFlushAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NotifiedFiringJson = table.Column<string>(type: "text", nullable: false),
                    NotifiedResolvedJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_groups", x => new { x.GroupKey, x.Receiver });
                });

            migrationBuilder.CreateTable(
                name: "alert_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Fingerprint = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AlertName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    FromState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ToState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_history", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "alert_rule_overrides",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_rule_overrides", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "alert_silences",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MatchersJson = table.Column<string>(type: "text", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_silences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    Fingerprint = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AlertName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Severity = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LabelsJson = table.Column<string>(type: "text", nullable: false),
                    AnnotationsJson = table.Column<string>(type: "text", nullable: false),
                    ActiveSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MutedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alerts", x => x.Fingerprint);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Target = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Zone = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ListedSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DurationSeconds = table.Column<double>(type: "double precision", nullable: true),
                    Codes = table.Column<string>(type: "text", nullable: false),
                    Meaning = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_query_counts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Zone = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Used = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_query_counts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "blacklist_states",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Target = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Zone = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    StateSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    VerdictAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Codes = table.Column<string>(type: "text", nullable: false),
                    Meaning = table.Column<string>(type: "text", nullable: true),
                    ReasonText = table.Column<string>(type: "text", nullable: true),
                    LastStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LastCapped = table.Column<bool>(type: "boolean", nullable: false),
                    LastUntrusted = table.Column<bool>(type: "boolean", nullable: false),
                    LastMessage = table.Column<string>(type: "text", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blacklist_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_states",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Check = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FindingsJson = table.Column<string>(type: "text", nullable: false),
                    RecordsJson = table.Column<string>(type: "text", nullable: false),
                    ErrorCount = table.Column<int>(type: "integer", nullable: false),
                    WarningCount = table.Column<int>(type: "integer", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BadRuns = table.Column<int>(type: "integer", nullable: true),
                    BadSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BadStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    BadFindingsJson = table.Column<string>(type: "text", nullable: true),
                    RecordsBaselineJson = table.Column<string>(type: "text", nullable: true),
                    DriftAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DriftPreviousJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Check = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FromStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ToStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_transitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_receivers",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "text", nullable: false),
                    RoutingKey = table.Column<string>(type: "text", nullable: false),
                    EmailHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    EmailPort = table.Column<int>(type: "integer", nullable: false),
                    EmailSecurity = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    EmailUser = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    EmailPassword = table.Column<string>(type: "text", nullable: false),
                    EmailFrom = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    EmailTo = table.Column<string>(type: "text", nullable: false),
                    SendResolved = table.Column<bool>(type: "boolean", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_receivers", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_seeds",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Provider = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ImapHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ImapPort = table.Column<int>(type: "integer", nullable: false),
                    ImapSecurity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ImapUser = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ImapPassword = table.Column<string>(type: "text", nullable: false),
                    InboxFolder = table.Column<string>(type: "text", nullable: true),
                    SpamFolder = table.Column<string>(type: "text", nullable: true),
                    OtherFolders = table.Column<string>(type: "text", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_seeds", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "dashboard_send_paths",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Security = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    User = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Password = table.Column<string>(type: "text", nullable: false),
                    EnvelopeSender = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard_send_paths", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "domain_audits",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_domain_audits", x => x.Domain);
                });

            migrationBuilder.CreateTable(
                name: "forecast_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Stream = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Frequency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Model = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ModelVersion = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    FallbackReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    IntervalLevel = table.Column<double>(type: "double precision", nullable: true),
                    HistoryEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HistoryPoints = table.Column<int>(type: "integer", nullable: false),
                    Horizon = table.Column<TimeSpan>(type: "interval", nullable: true),
                    BacktestWape = table.Column<double>(type: "double precision", nullable: true),
                    BacktestMase = table.Column<double>(type: "double precision", nullable: true),
                    BacktestCoverage = table.Column<double>(type: "double precision", nullable: true),
                    SeasonalNaiveWape = table.Column<double>(type: "double precision", nullable: true),
                    BacktestOrigins = table.Column<int>(type: "integer", nullable: true),
                    BacktestHorizon = table.Column<TimeSpan>(type: "interval", nullable: true),
                    RepairsJson = table.Column<string>(type: "text", nullable: true),
                    PointsJson = table.Column<string>(type: "text", nullable: true),
                    CampaignsJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_forecast_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "load_test_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Scenario = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SendPath = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Node = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    StopReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ThresholdsHeld = table.Column<bool>(type: "boolean", nullable: true),
                    KneeRate = table.Column<double>(type: "double precision", nullable: true),
                    AchievedRate = table.Column<double>(type: "double precision", nullable: true),
                    P99Ms = table.Column<double>(type: "double precision", nullable: true),
                    ErrorRate = table.Column<double>(type: "double precision", nullable: true),
                    Completed = table.Column<long>(type: "bigint", nullable: true),
                    ReportJson = table.Column<string>(type: "text", nullable: true),
                    CapacityJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_load_test_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notification_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Receiver = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ReceiverType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    GroupKey = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Result = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    DurationMs = table.Column<double>(type: "double precision", nullable: false),
                    NextDelayMs = table.Column<double>(type: "double precision", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_attempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "placement_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SendPath = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Seeds = table.Column<int>(type: "integer", nullable: false),
                    Inbox = table.Column<int>(type: "integer", nullable: false),
                    Spam = table.Column<int>(type: "integer", nullable: false),
                    Other = table.Column<int>(type: "integer", nullable: false),
                    Missing = table.Column<int>(type: "integer", nullable: false),
                    Errors = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_placement_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "planned_campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Stream = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpectedVolume = table.Column<double>(type: "double precision", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_planned_campaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "volume_history",
                columns: table => new
                {
                    Stream = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_volume_history", x => new { x.Stream, x.Timestamp });
                });

            migrationBuilder.CreateTable(
                name: "placement_seed_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Provider = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Placement = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Folder = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ArrivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Spf = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Dkim = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Dmarc = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AuthenticationResultsJson = table.Column<string>(type: "text", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
