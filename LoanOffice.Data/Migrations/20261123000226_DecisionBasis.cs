using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class DecisionBasis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Basis",
                table: "approval_decisions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SettledByName",
                table: "approval_decisions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Basis",
                table: "approval_decisions");

            migrationBuilder.DropColumn(
                name: "SettledByName",
                table: "approval_decisions");
        }
    }
}
