using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class PortfolioLoanStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // the at-risk loans' states by date for past drill-downs, their change marks, and the snapshot step's writer
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("PortfolioLoanStates.sql")) migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_states_ins ON loans");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_states_upd ON loans");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_loans_states_del ON loans");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS lo_write_loan_states(date)");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS lo_loan_states_dirty()");
            migrationBuilder.Sql("DROP TABLE IF EXISTS portfolio_dirty_loans");
            migrationBuilder.Sql("DROP TABLE IF EXISTS portfolio_loan_states");
        }
    }
}
