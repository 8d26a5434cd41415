using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class TransitionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
