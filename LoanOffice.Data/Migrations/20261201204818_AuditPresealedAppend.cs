using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditPresealedAppend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LoanOffice.Data.Sql.SqlScripts.Load("AuditTrailPresealed.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // every insert unsealed again, and sealed at commit
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION audit_log_unsealed() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN NEW.seq := 0; NEW.previous_hash := ''; NEW.hash := ''; RETURN NEW; END $$;
                DROP TRIGGER IF EXISTS audit_log_seal ON audit_log;
                CREATE CONSTRAINT TRIGGER audit_log_seal AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
                """);
        }
    }
}
