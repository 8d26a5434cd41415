using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class CloseRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RequestId",
                table: "cob_runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "cob_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TargetDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cob_requests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cob_runs_RequestId",
                table: "cob_runs",
                column: "RequestId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cob_requests");

            migrationBuilder.DropIndex(
                name: "IX_cob_runs_RequestId",
                table: "cob_runs");

            migrationBuilder.DropColumn(
                name: "RequestId",
                table: "cob_runs");
        }
    }
}
