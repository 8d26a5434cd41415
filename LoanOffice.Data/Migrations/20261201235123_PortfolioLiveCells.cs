using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class PortfolioLiveCells : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Extended",
                table: "loans",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // today's cells kept by triggers on loans, the loans' extended flag from their extensions, the lending and drill-down indexes
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("PortfolioLiveCells.sql"))
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_live_cells_ins ON loans;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_live_cells_upd ON loans;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_live_cells_del ON loans;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS portfolio_live_cells;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_loans_disbursed_on;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_loans_open_dpd;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_loan_transactions_value_date;");
            migrationBuilder.DropColumn(
                name: "Extended",
                table: "loans");
        }
    }
}
