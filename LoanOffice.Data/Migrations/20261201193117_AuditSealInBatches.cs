using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditSealInBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LoanOffice.Data.Sql.SqlScripts.Load("AuditTrailBatchSeal.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS audit_log_seal ON audit_log; DROP TRIGGER IF EXISTS audit_log_unsealed ON audit_log; DROP INDEX IF EXISTS "IX_audit_log_unsealed";""");
            migrationBuilder.Sql(LoanOffice.Data.Sql.SqlScripts.Load("AuditTrailDeferredSeal.sql"));
        }
    }
}
