using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestingLoans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans");

            migrationBuilder.AddColumn<DateOnly>(
                name: "RestsUntil",
                table: "loans",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.CreateIndex(
                name: "IX_loans_RestsUntil",
                table: "loans",
                column: "RestsUntil",
                filter: "\"Status\" IN ('Active', 'Overdue')");

            // the rule of when the close next has work for a loan (lo_next_event) joins the others
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("LoanRules.sql"))
                migrationBuilder.Sql(statement);

            // existing loans: work on the night after their last close (the close then works out each one's rest)
            migrationBuilder.Sql("""UPDATE loans SET "RestsUntil" = "ClosedThrough" """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS lo_next_event(date, integer, integer, numeric, date)");

            migrationBuilder.DropIndex(
                name: "IX_loans_RestsUntil",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "RestsUntil",
                table: "loans");

            migrationBuilder.CreateIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans",
                column: "ClosedThrough",
                filter: "\"Status\" IN ('Active', 'Overdue')");
        }
    }
}
