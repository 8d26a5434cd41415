using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class LoanBookOneModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // the loan book's shared rules as SQL functions (the close, reports and dashboards call them)
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("LoanRules.sql"))
                migrationBuilder.Sql(statement);

            migrationBuilder.DropIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans");

            // the exact penalty rate per year, annual × (1 + markup), replaces the daily rate cut to 18 decimals
            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyAnnualRate",
                table: "loans",
                type: "numeric(18,10)",
                precision: 18,
                scale: 10,
                nullable: false,
                defaultValue: 0m);
            migrationBuilder.Sql("""UPDATE loans SET "PenaltyAnnualRate" = "AnnualRate" * (1 + "PenaltyMarkup")""");

            migrationBuilder.DropColumn(
                name: "PenaltyDailyRate",
                table: "loans");

            // the status is the domain's LoanStatus: an open loan is Active or Overdue (DPD > 0)
            migrationBuilder.Sql("""UPDATE loans SET "Status" = 'WrittenOff' WHERE "Status" NOT IN ('Active', 'Settled')""");
            migrationBuilder.Sql("""UPDATE loans SET "Status" = 'Overdue' WHERE "Status" = 'Active' AND "DaysPastDue" > 0""");
            migrationBuilder.AlterColumn<string>(
                name: "Status",
                table: "loans",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.CreateIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans",
                column: "ClosedThrough",
                filter: "\"Status\" IN ('Active', 'Overdue')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans");

            migrationBuilder.AlterColumn<string>(
                name: "Status",
                table: "loans",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyDailyRate",
                table: "loans",
                type: "numeric(24,18)",
                precision: 24,
                scale: 18,
                nullable: false,
                defaultValue: 0m);
            migrationBuilder.Sql("""UPDATE loans SET "PenaltyDailyRate" = round("PenaltyAnnualRate" / 360, 18)""");
            migrationBuilder.Sql("""UPDATE loans SET "Status" = 'Active' WHERE "Status" = 'Overdue'""");
            foreach (var f in new[] { "lo_is_overdue(date, integer, numeric, numeric, date)", "lo_dpd(date, date)", "lo_dpd_class(integer)", "lo_effective_class(text, text)",
                                      "lo_class_rank(text)", "lo_daily_accrual(numeric, numeric)", "lo_accrued_due(numeric, numeric)", "lo_open_status(integer)" })
                migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {f}");

            migrationBuilder.DropColumn(
                name: "PenaltyAnnualRate",
                table: "loans");

            migrationBuilder.CreateIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans",
                column: "ClosedThrough",
                filter: "\"Status\" = 'Active'");
        }
    }
}
