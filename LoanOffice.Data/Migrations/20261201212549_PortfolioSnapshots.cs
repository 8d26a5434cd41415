using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class PortfolioSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Portfolio.sql again (CREATE OR REPLACE / IF NOT EXISTS): now with the nightly snapshot table
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("Portfolio.sql"))
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS portfolio_snapshots;");
        }
    }
}
