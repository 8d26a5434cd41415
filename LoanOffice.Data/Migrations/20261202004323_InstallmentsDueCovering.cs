using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class InstallmentsDueCovering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments");

            migrationBuilder.CreateIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments",
                column: "DueDate")
                .Annotation("Npgsql:IndexInclude", new[] { "LoanId", "Number", "Principal", "Interest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments");

            migrationBuilder.CreateIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments",
                column: "DueDate");
        }
    }
}
