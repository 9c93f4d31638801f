using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Migrations.Sqlite.Monitor
{
    /// <inheritdoc />
    public partial class SendEventsUnprocessedQueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_send_events_ProcessedAt_Id",
                table: "send_events");

            migrationBuilder.DropIndex(
                name: "IX_send_events_ReceivedAt",
                table: "send_events");

            migrationBuilder.CreateIndex(
                name: "IX_send_events_unprocessed",
                table: "send_events",
                column: "Id",
                filter: "\"ProcessedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_send_events_unprocessed",
                table: "send_events");

            migrationBuilder.CreateIndex(
                name: "IX_send_events_ProcessedAt_Id",
                table: "send_events",
                columns: new[] { "ProcessedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_send_events_ReceivedAt",
                table: "send_events",
                column: "ReceivedAt");
        }
    }
}
