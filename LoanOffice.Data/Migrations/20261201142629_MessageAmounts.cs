using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class MessageAmounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // lo_cny (amounts in messages as ¥6,219.42) joins the loan book's rules
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("LoanRules.sql"))
                migrationBuilder.Sql(statement);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS lo_cny(numeric)");

        }
    }
}
