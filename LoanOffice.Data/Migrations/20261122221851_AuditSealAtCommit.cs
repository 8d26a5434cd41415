using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditSealAtCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_log_seq",
                table: "audit_log");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_seq",
                table: "audit_log",
                column: "seq",
                unique: true,
                filter: "seq > 0");
            migrationBuilder.Sql(LoanOffice.Data.Sql.SqlScripts.Load("AuditTrailDeferredSeal.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_log_seal ON audit_log; DROP TRIGGER IF EXISTS audit_log_unsealed ON audit_log; DROP FUNCTION IF EXISTS audit_log_seal(); DROP FUNCTION IF EXISTS audit_log_unsealed();");
            migrationBuilder.Sql(LoanOffice.Data.Sql.SqlScripts.Load("AuditTrail.sql").Split("CREATE TRIGGER")[0] + "CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();");

            migrationBuilder.DropIndex(
                name: "IX_audit_log_seq",
                table: "audit_log");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_seq",
                table: "audit_log",
                column: "seq",
                unique: true);
        }
    }
}
