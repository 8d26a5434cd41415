using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewQueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_applications_queue_age",
                table: "applications",
                columns: new[] { "StateSince", "Id" },
                filter: "\"State\" IN ('Submitted', 'PreliminaryReview')")
                .Annotation("Npgsql:IndexInclude", new[] { "State", "RequestedAmount", "TeamId", "ProductCode" });

            migrationBuilder.CreateIndex(
                name: "ix_applications_queue_amount",
                table: "applications",
                columns: new[] { "RequestedAmount", "Id" },
                filter: "\"State\" IN ('Submitted', 'PreliminaryReview')");

            migrationBuilder.CreateIndex(
                name: "ix_applications_queue_product_age",
                table: "applications",
                columns: new[] { "ProductCode", "StateSince", "Id" },
                filter: "\"State\" IN ('Submitted', 'PreliminaryReview')");

            migrationBuilder.CreateIndex(
                name: "ix_applications_queue_received",
                table: "applications",
                columns: new[] { "ReceivedAt", "Id" },
                filter: "\"State\" IN ('Submitted', 'PreliminaryReview')");

            migrationBuilder.CreateIndex(
                name: "ix_applications_queue_team_age",
                table: "applications",
                columns: new[] { "TeamId", "StateSince", "Id" },
                filter: "\"State\" IN ('Submitted', 'PreliminaryReview')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_applications_queue_age",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "ix_applications_queue_amount",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "ix_applications_queue_product_age",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "ix_applications_queue_received",
                table: "applications");

            migrationBuilder.DropIndex(
                name: "ix_applications_queue_team_age",
                table: "applications");
        }
    }
}
