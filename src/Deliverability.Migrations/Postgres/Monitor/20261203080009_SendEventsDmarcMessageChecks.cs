using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Migrations.Postgres.Monitor
{
    /// <inheritdoc />
    public partial class SendEventsDmarcMessageChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dmarc_inputs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Reports = table.Column<int>(type: "integer", nullable: false),
                    MovedTo = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarc_inputs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_report_duplicates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OrgName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ReportId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PolicyDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Origin = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarc_report_duplicates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OrgName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ReportId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PolicyDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ReporterEmail = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Begin = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Schema = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    PolicyP = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PolicySp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PolicyNp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Adkim = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Aspf = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Pct = table.Column<int>(type: "integer", nullable: true),
                    Testing = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DiscoveryMethod = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Fo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Generator = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Errors = table.Column<string>(type: "text", nullable: true),
                    Origin = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false),
                    Messages = table.Column<long>(type: "bigint", nullable: false),
                    DmarcPass = table.Column<long>(type: "bigint", nullable: false),
                    SpfAlignedPass = table.Column<long>(type: "bigint", nullable: false),
                    DkimAlignedPass = table.Column<long>(type: "bigint", nullable: false),
                    RawGzip = table.Column<byte[]>(type: "bytea", nullable: true),
                    RawTruncated = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarc_reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "message_check_renders",
                columns: table => new
                {
                    CheckId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Png = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_message_check_renders", x => new { x.CheckId, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "message_checks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    From = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Errors = table.Column<int>(type: "integer", nullable: false),
                    Warnings = table.Column<int>(type: "integer", nullable: false),
                    ReportJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_message_checks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "postfix_log_offsets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    FingerprintLength = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_postfix_log_offsets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "send_event_quarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Body = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: false),
                    Truncated = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_send_event_quarantine", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "send_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ProviderEventId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Stream = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SendingDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecipientHash = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    RecipientDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    MailboxProvider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SmtpCode = table.Column<int>(type: "integer", nullable: true),
                    EnhancedStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Diagnostic = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    MessageId = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: true),
                    DeliveryLatencyMs = table.Column<long>(type: "bigint", nullable: true),
                    Critical = table.Column<bool>(type: "boolean", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_send_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "send_rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Minute = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SendingDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    MailboxProvider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Accepted = table.Column<long>(type: "bigint", nullable: false),
                    Delivered = table.Column<long>(type: "bigint", nullable: false),
                    Deferred = table.Column<long>(type: "bigint", nullable: false),
                    SoftBounces = table.Column<long>(type: "bigint", nullable: false),
                    HardBounces = table.Column<long>(type: "bigint", nullable: false),
                    Blocked = table.Column<long>(type: "bigint", nullable: false),
                    Complaints = table.Column<long>(type: "bigint", nullable: false),
                    Unsubscribes = table.Column<long>(type: "bigint", nullable: false),
                    Opens = table.Column<long>(type: "bigint", nullable: false),
                    Clicks = table.Column<long>(type: "bigint", nullable: false),
                    Dropped = table.Column<long>(type: "bigint", nullable: false),
                    CriticalFailures = table.Column<long>(type: "bigint", nullable: false),
                    Latency00 = table.Column<long>(type: "bigint", nullable: false),
                    Latency01 = table.Column<long>(type: "bigint", nullable: false),
                    Latency02 = table.Column<long>(type: "bigint", nullable: false),
                    Latency03 = table.Column<long>(type: "bigint", nullable: false),
                    Latency04 = table.Column<long>(type: "bigint", nullable: false),
                    Latency05 = table.Column<long>(type: "bigint", nullable: false),
                    Latency06 = table.Column<long>(type: "bigint", nullable: false),
                    Latency07 = table.Column<long>(type: "bigint", nullable: false),
                    Latency08 = table.Column<long>(type: "bigint", nullable: false),
                    Latency09 = table.Column<long>(type: "bigint", nullable: false),
                    Latency10 = table.Column<long>(type: "bigint", nullable: false),
                    Latency11 = table.Column<long>(type: "bigint", nullable: false),
                    Latency12 = table.Column<long>(type: "bigint", nullable: false),
                    Latency13 = table.Column<long>(type: "bigint", nullable: false),
                    Latency14 = table.Column<long>(type: "bigint", nullable: false),
                    Latency15 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_send_rollups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "send_throttling_rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Minute = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SendingDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    MailboxProvider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_send_throttling_rollups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tlsrpt_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrgName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ReportId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PolicyDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ContactInfo = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Begin = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Origin = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SuccessfulSessions = table.Column<long>(type: "bigint", nullable: false),
                    FailedSessions = table.Column<long>(type: "bigint", nullable: false),
                    RawGzip = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tlsrpt_reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_daily",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReportRowId = table.Column<long>(type: "bigint", nullable: false),
                    PolicyDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    HeaderFrom = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Disposition = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DkimAligned = table.Column<bool>(type: "boolean", nullable: false),
                    SpfAligned = table.Column<bool>(type: "boolean", nullable: false),
                    Messages = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarc_daily", x => x.Id);
                    table.ForeignKey(
                        name: "FK_dmarc_daily_dmarc_reports_ReportRowId",
                        column: x => x.ReportRowId,
                        principalTable: "dmarc_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReportRowId = table.Column<long>(type: "bigint", nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Disposition = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DkimEvaluated = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SpfEvaluated = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    HeaderFrom = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    EnvelopeFrom = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    EnvelopeTo = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    OverrideReasons = table.Column<string>(type: "text", nullable: true),
                    DkimResults = table.Column<string>(type: "text", nullable: true),
                    SpfResults = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarc_records", x => x.Id);
                    table.ForeignKey(
                        name: "FK_dmarc_records_dmarc_reports_ReportRowId",
                        column: x => x.ReportRowId,
                        principalTable: "dmarc_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tlsrpt_policies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReportRowId = table.Column<long>(type: "bigint", nullable: false),
                    PolicyType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PolicyString = table.Column<string>(type: "text", nullable: true),
                    PolicyDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    MxHosts = table.Column<string>(type: "text", nullable: true),
                    SuccessfulSessions = table.Column<long>(type: "bigint", nullable: false),
                    FailedSessions = table.Column<long>(type: "bigint", nullable: false),
                    FailureDetails = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tlsrpt_policies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tlsrpt_policies_tlsrpt_reports_ReportRowId",
                        column: x => x.ReportRowId,
                        principalTable: "tlsrpt_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_daily_PolicyDomain_Day",
                table: "dmarc_daily",
                columns: new[] { "PolicyDomain", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_daily_ReportRowId",
                table: "dmarc_daily",
                column: "ReportRowId");

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_inputs_At",
                table: "dmarc_inputs",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_records_ReportRowId",
                table: "dmarc_records",
                column: "ReportRowId");

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_report_duplicates_At",
                table: "dmarc_report_duplicates",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_report_duplicates_OrgName_ReportId_PolicyDomain",
                table: "dmarc_report_duplicates",
                columns: new[] { "OrgName", "ReportId", "PolicyDomain" });

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_reports_OrgName_ReportId_PolicyDomain",
                table: "dmarc_reports",
                columns: new[] { "OrgName", "ReportId", "PolicyDomain" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_dmarc_reports_PolicyDomain_Begin",
                table: "dmarc_reports",
                columns: new[] { "PolicyDomain", "Begin" });

            migrationBuilder.CreateIndex(
                name: "IX_message_checks_CheckedAt",
                table: "message_checks",
                column: "CheckedAt");

            migrationBuilder.CreateIndex(
                name: "IX_send_event_quarantine_ReceivedAt",
                table: "send_event_quarantine",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_send_events_OccurredAt",
                table: "send_events",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_send_events_ProcessedAt_Id",
                table: "send_events",
                columns: new[] { "ProcessedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_send_events_Provider_Source_ProviderEventId",
                table: "send_events",
                columns: new[] { "Provider", "Source", "ProviderEventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_send_events_ReceivedAt",
                table: "send_events",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_send_events_RecipientHash",
                table: "send_events",
                column: "RecipientHash");

            migrationBuilder.CreateIndex(
                name: "IX_send_rollups_Minute_Stream_Provider_SendingDomain_MailboxPr~",
                table: "send_rollups",
                columns: new[] { "Minute", "Stream", "Provider", "SendingDomain", "MailboxProvider" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_send_throttling_rollups_Minute_Stream_Provider_SendingDomai~",
                table: "send_throttling_rollups",
                columns: new[] { "Minute", "Stream", "Provider", "SendingDomain", "MailboxProvider", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tlsrpt_policies_ReportRowId",
                table: "tlsrpt_policies",
                column: "ReportRowId");

            migrationBuilder.CreateIndex(
                name: "IX_tlsrpt_reports_OrgName_ReportId_PolicyDomain",
                table: "tlsrpt_reports",
                columns: new[] { "OrgName", "ReportId", "PolicyDomain" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tlsrpt_reports_PolicyDomain_Begin",
                table: "tlsrpt_reports",
                columns: new[] { "PolicyDomain", "Begin" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dmarc_daily");

            migrationBuilder.DropTable(
                name: "dmarc_inputs");

            migrationBuilder.DropTable(
                name: "dmarc_records");

            migrationBuilder.DropTable(
                name: "dmarc_report_duplicates");

            migrationBuilder.DropTable(
                name: "message_check_renders");

            migrationBuilder.DropTable(
                name: "message_checks");

            migrationBuilder.DropTable(
                name: "postfix_log_offsets");

            migrationBuilder.DropTable(
                name: "send_event_quarantine");

            migrationBuilder.DropTable(
                name: "send_events");

            migrationBuilder.DropTable(
                name: "send_rollups");

            migrationBuilder.DropTable(
                name: "send_throttling_rollups");

            migrationBuilder.DropTable(
                name: "tlsrpt_policies");

            migrationBuilder.DropTable(
                name: "dmarc_reports");

            migrationBuilder.DropTable(
                name: "tlsrpt_reports");
        }
    }
}
