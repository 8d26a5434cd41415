using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class LoanPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "OverdueAmount",
                table: "loans",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "PrincipalOutstanding",
                table: "loans",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "ProductCode",
                table: "loans",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            // the triggers, the function the import calls, the view and the index the cockpit reads, and the backfill
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("LoanPositions.sql"))
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_loans_open_positions;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_product ON loans;");
            migrationBuilder.Sql("DROP VIEW IF EXISTS lo_loan_positions;");
            migrationBuilder.DropColumn(
                name: "OverdueAmount",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "PrincipalOutstanding",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "ProductCode",
                table: "loans");
        }
    }
}
