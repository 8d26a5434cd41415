using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimExpiresAt",
                table: "applications",
                type: "timestamp with time zone",
                nullable: true);

            // claims taken before this migration lasted a fixed 15 minutes
            migrationBuilder.Sql("""UPDATE applications SET "ClaimExpiresAt" = "ClaimedAt" + interval '15 minutes' WHERE "ClaimedAt" IS NOT NULL""");

            migrationBuilder.CreateTable(
                name: "claim_heartbeats",
                columns: table => new
                {
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claim_heartbeats", x => x.ApplicationId);
                    table.ForeignKey(
                        name: "FK_claim_heartbeats_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "claim_heartbeats");

            migrationBuilder.DropColumn(
                name: "ClaimExpiresAt",
                table: "applications");
        }
    }
}
